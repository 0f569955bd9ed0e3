"use client";
import { useQuery } from "@tanstack/react-query";
import { Bar, BarChart, CartesianGrid, Line, LineChart, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { CHART_RUNS, fetchRuns, runKeys } from "@/components/runs/api";
import { BAND_HEX, formatDuration } from "@/components/runs/format";
import { BAND_LIMITS } from "@/lib/reviews/bands";
import { toHealthPoints, type HealthPoint } from "@/lib/runs/schemas";

const day = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short" });
const label = (iso: string) => day.format(new Date(iso));

function summary(values: number[], fmt: (n: number) => string) {
  if (!values.length) return "no data";
  return `latest ${fmt(values.at(-1)!)}, lowest ${fmt(Math.min(...values))}, highest ${fmt(Math.max(...values))}`;
}

/** A chart with a text summary for screen readers (the SVG itself is not described). */
function ChartFigure({ title, text, children }: { title: string; text: string; children: React.ReactElement }) {
  return (
    <figure className="min-w-0 rounded-lg border border-slate-200 bg-white p-3">
      <figcaption className="mb-2 text-sm font-medium text-slate-700">
        {title}
        <span className="sr-only">: {text}</span>
      </figcaption>
      <div className="h-48" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">{children}</ResponsiveContainer>
      </div>
    </figure>
  );
}

/**
 * Health score and run duration over a schedule's last 30 completed runs. Self-contained, so any
 * page can drop it in with the schedule id; `initial` (from lib/runs/queries healthSeries) skips
 * the first fetch when the server already has the series.
 */
export function ScheduleCharts({ scheduleId, initial }: { scheduleId: string; initial?: HealthPoint[] }) {
  const query = useQuery({
    queryKey: runKeys.chart(scheduleId),
    queryFn: async () => toHealthPoints((await fetchRuns(scheduleId, { status: "completed", limit: CHART_RUNS })).data),
    initialData: initial,
  });
  const points = (query.data ?? []).map((p) => ({ ...p, label: label(p.at) }));
  const scores = points.flatMap((p) => (p.health_score === null ? [] : [p.health_score]));
  const durations = points.flatMap((p) => (p.duration_ms === null ? [] : [p.duration_ms]));

  return (
    <section aria-labelledby="charts-heading" className="space-y-2" data-testid="schedule-charts">
      <h2 id="charts-heading" className="text-lg font-semibold">Last {CHART_RUNS} completed runs</h2>
      {query.isPending ? (
        <p className="text-sm text-slate-500" role="status">Loading charts…</p>
      ) : query.isError ? (
        <p role="alert" className="text-sm text-red-700">Could not load the charts.</p>
      ) : points.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600">
          No completed runs yet: the charts appear after the first one.
        </p>
      ) : (
        <div className="grid gap-3 md:grid-cols-2">
          <ChartFigure title="Health score" text={summary(scores, String)}>
            <LineChart data={points} margin={{ top: 5, right: 10, left: -20, bottom: 0 }}>
              <ReferenceArea y1={0} y2={BAND_LIMITS.red} fill={BAND_HEX.red} fillOpacity={0.06} />
              <ReferenceArea y1={BAND_LIMITS.red} y2={BAND_LIMITS.yellow} fill={BAND_HEX.yellow} fillOpacity={0.06} />
              <ReferenceArea y1={BAND_LIMITS.yellow} y2={100} fill={BAND_HEX.green} fillOpacity={0.06} />
              <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
              <XAxis dataKey="label" tick={{ fontSize: 11 }} minTickGap={16} />
              <YAxis domain={[0, 100]} ticks={[0, BAND_LIMITS.red, BAND_LIMITS.yellow, 100]} tick={{ fontSize: 11 }} />
              <Tooltip formatter={(v) => [v, "Health"]} />
              <Line type="monotone" dataKey="health_score" stroke="#4f46e5" strokeWidth={2} dot={{ r: 3 }} connectNulls isAnimationActive={false} />
            </LineChart>
          </ChartFigure>
          <ChartFigure title="Run duration" text={summary(durations, formatDuration)}>
            <BarChart data={points} margin={{ top: 5, right: 10, left: -10, bottom: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
              <XAxis dataKey="label" tick={{ fontSize: 11 }} minTickGap={16} />
              <YAxis tick={{ fontSize: 11 }} tickFormatter={(v: number) => formatDuration(v)} width={64} />
              <Tooltip formatter={(v) => [formatDuration(Number(v)), "Duration"]} />
              <Bar dataKey="duration_ms" fill="#0ea5e9" isAnimationActive={false} />
            </BarChart>
          </ChartFigure>
        </div>
      )}
    </section>
  );
}

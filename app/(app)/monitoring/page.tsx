import Link from "next/link";
import { pageOwnerId } from "@/app/(app)/page-glue";
import { Card } from "@/components/ui/card";
import { LazyMonitoringCharts } from "@/components/monitoring/charts-lazy";
import { CoveragePanel } from "@/components/monitoring/coverage-panel";
import { ErrorGroupsPanel, OverviewPanel, SchedulerPanel, SchedulesPanel, TrendPanel } from "@/components/monitoring/panels";
import { isNotFound } from "@/lib/errors";
import { computeCoverage } from "@/lib/monitoring/coverage";
import { getMonitoring } from "@/lib/monitoring/metrics";
import { dailyHistory, dailySeries } from "@/lib/retention/daily";
import { WINDOWS, monitoringQuerySchema, type WindowName } from "@/lib/monitoring/schemas";
import { getSchedulerStatus } from "@/lib/scheduler/status";
import { scheduleNames } from "@/lib/schedules/list";

export const metadata = { title: "Monitoring · Revwatch" };

const LONG_WINDOW_DAYS = 90;

type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function MonitoringPage({ searchParams }: { searchParams: Search }) {
  const ownerId = await pageOwnerId();
  const raw = await searchParams;
  const parsed = monitoringQuerySchema.safeParse({ window: raw.window, schedule_id: raw.schedule_id || undefined });
  const query = parsed.success ? parsed.data : { window: "24h" as const };
  const now = new Date();
  const [m, coverage, scheduler, schedules, daily] = await Promise.all([
    getMonitoring(ownerId, query, now).catch((err) => {
      if (!isNotFound(err)) throw err;
      return getMonitoring(ownerId, { window: query.window }, now); // a foreign or deleted schedule: the workspace
    }),
    computeCoverage(ownerId, { from: new Date(now.getTime() - 24 * 3_600_000), to: now }, now),
    getSchedulerStatus(ownerId, now),
    scheduleNames(ownerId),
    // The long window: pruned days from the daily aggregates, kept days (today included) from the runs.
    dailyHistory(ownerId, { days: LONG_WINDOW_DAYS, schedule_id: query.schedule_id }, now).catch((err) => {
      if (!isNotFound(err)) throw err;
      return dailyHistory(ownerId, { days: LONG_WINDOW_DAYS }, now);
    }),
  ]);
  const long = dailySeries(daily);
  const filtered = schedules.find((s) => s.id === m.schedule_id);
  const link = (w: WindowName) => `/monitoring?window=${w}${m.schedule_id ? `&schedule_id=${m.schedule_id}` : ""}`;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Monitoring</h1>
          <p className="text-sm text-slate-600">{filtered ? `Schedule “${filtered.name}”` : "All schedules"}, last {m.window} (to {m.to.slice(0, 16).replace("T", " ")} UTC)</p>
        </div>
        <nav aria-label="Window" className="flex gap-1">
          {(Object.keys(WINDOWS) as WindowName[]).map((w) => (
            <Link key={w} href={link(w)} aria-current={w === m.window ? "page" : undefined}
              className={`rounded-md px-3 py-1.5 text-sm ${w === m.window ? "bg-indigo-600 text-white" : "border border-slate-300 bg-white text-slate-700"}`}>
              {w}
            </Link>
          ))}
        </nav>
        <form className="flex items-center gap-2 text-sm" action="/monitoring">
          <input type="hidden" name="window" value={m.window} />
          <label htmlFor="schedule_id">Schedule</label>
          <select id="schedule_id" name="schedule_id" defaultValue={m.schedule_id ?? ""} className="rounded-md border border-slate-300 px-2 py-1">
            <option value="">All schedules</option>
            {schedules.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
          </select>
          <button className="rounded-md border border-slate-300 px-2 py-1">Show</button>
        </form>
      </div>
      <OverviewPanel m={m} />
      <Card title="Runs over time">
        {m.series.length === 0 ? <p className="text-sm text-slate-600">No runs in this window yet: charts appear after the first one.</p> : <LazyMonitoringCharts series={m.series} unit={m.window === "24h" ? "hour" : "day"} />}
      </Card>
      <Card title={`Last ${LONG_WINDOW_DAYS} days`}>
        <div data-testid="long-window-chart">
          {long.length === 0
            ? <p className="text-sm text-slate-600">No runs in the last {LONG_WINDOW_DAYS} days.</p>
            : <LazyMonitoringCharts series={long} unit="day" third="health" />}
          <p className="mt-2 text-xs text-slate-500">Per UTC day: runs by status, run duration p50/p95 and the mean health score, including days whose runs were pruned by the retention (kept as daily totals).</p>
        </div>
      </Card>
      <div className="grid gap-4 lg:grid-cols-2">
        <TrendPanel m={m} />
        <SchedulerPanel s={scheduler} />
      </div>
      <CoveragePanel coverage={coverage.dto} />
      <ErrorGroupsPanel m={m} />
      <SchedulesPanel m={m} />
    </div>
  );
}

"use client";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { MonitoringDto } from "@/lib/monitoring/schemas";

// Charts of /monitoring, loaded on demand (charts-lazy.tsx) so recharts never weighs on first load.
// The long-window chart (daily history, pruned days included) uses them too, with the mean health
// score as its third chart.

export type ChartPoint = MonitoringDto["series"][number] & { mean_health_score?: number | null };
const THIRD = {
  success: { key: "success_pct", name: "success %", title: "Success rate (%)", label: "Success rate over time" },
  health: { key: "mean_health_score", name: "mean health", title: "Mean health score", label: "Mean health score over time" },
} as const;

export default function MonitoringCharts({ series, unit, third = "success" }: { series: ChartPoint[]; unit: "hour" | "day"; third?: keyof typeof THIRD }) {
  const fmt = new Intl.DateTimeFormat("en-GB", unit === "hour" ? { hour: "2-digit", minute: "2-digit", timeZone: "UTC" } : { day: "numeric", month: "short", timeZone: "UTC" });
  const data = series.map((b) => ({ ...b, label: fmt.format(new Date(b.at)), success_pct: b.success_rate === null ? null : Math.round(b.success_rate * 1000) / 10 }));
  const line = THIRD[third];
  return (
    <div className="grid gap-4 lg:grid-cols-3">
      <figure aria-label={`Runs per ${unit} by status`}>
        <figcaption className="mb-1 text-sm font-medium">Runs per {unit} by status</figcaption>
        <ResponsiveContainer width="100%" height={200}>
          <BarChart data={data} margin={{ top: 5, right: 10, left: -20, bottom: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <XAxis dataKey="label" tick={{ fontSize: 11 }} minTickGap={12} />
            <YAxis allowDecimals={false} tick={{ fontSize: 11 }} />
            <Tooltip />
            <Legend wrapperStyle={{ fontSize: 11 }} />
            <Bar dataKey="completed" stackId="s" fill="#22c55e" isAnimationActive={false} />
            <Bar dataKey="failed" stackId="s" fill="#ef4444" isAnimationActive={false} />
            <Bar dataKey="skipped" stackId="s" fill="#94a3b8" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </figure>
      <figure aria-label="Duration percentiles">
        <figcaption className="mb-1 text-sm font-medium">Started → completed (ms)</figcaption>
        <ResponsiveContainer width="100%" height={200}>
          <LineChart data={data} margin={{ top: 5, right: 10, left: -10, bottom: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <XAxis dataKey="label" tick={{ fontSize: 11 }} minTickGap={12} />
            <YAxis tick={{ fontSize: 11 }} />
            <Tooltip />
            <Legend wrapperStyle={{ fontSize: 11 }} />
            <Line dataKey="p50_ms" name="p50" stroke="#4f46e5" dot={false} connectNulls isAnimationActive={false} />
            <Line dataKey="p95_ms" name="p95" stroke="#f59e0b" dot={false} connectNulls isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </figure>
      <figure aria-label={line.label}>
        <figcaption className="mb-1 text-sm font-medium">{line.title}</figcaption>
        <ResponsiveContainer width="100%" height={200}>
          <LineChart data={data} margin={{ top: 5, right: 10, left: -20, bottom: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <XAxis dataKey="label" tick={{ fontSize: 11 }} minTickGap={12} />
            <YAxis domain={[0, 100]} tick={{ fontSize: 11 }} />
            <Tooltip />
            <Line dataKey={line.key} name={line.name} stroke="#16a34a" dot={{ r: 2 }} connectNulls isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </figure>
    </div>
  );
}

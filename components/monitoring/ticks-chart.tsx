"use client";
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { SchedulerStatusDto } from "@/lib/scheduler/schemas";

// The dispatcher's ticks per hour (successes and failures) with their median and max duration;
// loaded on demand like the other charts.
export default function TicksChart({ hours }: { hours: SchedulerStatusDto["ticks_per_hour"] }) {
  const fmt = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
  const data = hours.map((h) => ({ label: fmt.format(new Date(h.hour)), ok: h.ticks - h.failures, failed: h.failures, p50: h.p50_ms, max: h.max_ms }));
  return (
    <figure aria-label="Dispatcher ticks per hour">
      <figcaption className="mb-1 text-sm font-medium">Dispatcher ticks per hour (UTC) and their duration</figcaption>
      <ResponsiveContainer width="100%" height={180}>
        <ComposedChart data={data} margin={{ top: 5, right: 10, left: -20, bottom: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="label" tick={{ fontSize: 11 }} minTickGap={16} />
          <YAxis yAxisId="n" allowDecimals={false} tick={{ fontSize: 11 }} />
          <YAxis yAxisId="ms" orientation="right" tick={{ fontSize: 11 }} />
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 11 }} />
          <Bar yAxisId="n" dataKey="ok" name="ticks ok" stackId="t" fill="#22c55e" isAnimationActive={false} />
          <Bar yAxisId="n" dataKey="failed" name="ticks failed" stackId="t" fill="#ef4444" isAnimationActive={false} />
          <Line yAxisId="ms" dataKey="p50" name="p50 ms" stroke="#4f46e5" dot={false} connectNulls isAnimationActive={false} />
          <Line yAxisId="ms" dataKey="max" name="max ms" stroke="#f59e0b" dot={false} connectNulls isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}

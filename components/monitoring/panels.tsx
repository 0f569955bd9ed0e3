import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { formatCount, formatDuration } from "@/components/runs/format";
import type { MonitoringDto } from "@/lib/monitoring/schemas";
import type { SchedulerStatusDto } from "@/lib/scheduler/schemas";
import { LazyTicksChart } from "./charts-lazy";

// The read-only panels of /monitoring (server-rendered from GET /api/monitoring's data).

export const percent = (r: number | null | undefined) => (r === null || r === undefined ? "—" : `${(r * 100).toFixed(1)} %`);
const when = (iso: string | null) => (iso ? new Date(iso).toISOString().slice(0, 16).replace("T", " ") + " UTC" : "—");

function Kpi({ label, value, hint }: { label: string; value: ReactNode; hint?: string }) {
  return (
    <div className="rounded-md border border-slate-200 p-3">
      <p className="text-xs uppercase tracking-wide text-slate-500">{label}</p>
      <p className="mt-1 text-xl font-semibold">{value}</p>
      {hint && <p className="mt-1 text-xs text-slate-500">{hint}</p>}
    </div>
  );
}

const Empty = ({ children }: { children: ReactNode }) => <p className="text-sm text-slate-600">{children}</p>;

export function OverviewPanel({ m }: { m: MonitoringDto }) {
  const d = m.duration_ms;
  return (
    <Card title="Overview">
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
        <Kpi label="Success rate" value={percent(m.success_rate)} hint={`${formatCount(m.runs.completed)} completed, ${formatCount(m.runs.failed)} failed`} />
        <Kpi label="Runs" value={formatCount(m.runs.total)} hint={`${m.runs.skipped} skipped, ${m.runs.queued + m.runs.running} in progress`} />
        <Kpi label="Started → completed" value={`p50 ${formatDuration(d.started_to_completed.p50)}`} hint={`p95 ${formatDuration(d.started_to_completed.p95)}, max ${formatDuration(d.started_to_completed.max)}`} />
        <Kpi label="Queued → completed" value={`p50 ${formatDuration(d.queued_to_completed.p50)}`} hint={`p95 ${formatDuration(d.queued_to_completed.p95)}, max ${formatDuration(d.queued_to_completed.max)}`} />
        <Kpi label="Email delivery" value={percent(m.delivery.email.rate)} hint={`${m.delivery.email.sent} sent, ${m.delivery.email.failed} failed`} />
        <Kpi label="Slack delivery" value={percent(m.delivery.slack.rate)} hint={`${m.delivery.slack.sent} sent, ${m.delivery.slack.failed} failed`} />
        <Kpi label="Backlog" value={formatCount(m.backlog.queued)} hint={m.backlog.oldest_queued_age_ms === null ? "nothing queued" : `oldest queued ${formatDuration(m.backlog.oldest_queued_age_ms)} ago`} />
        <Kpi label="Missed / skipped slots" value={`${m.slots.missed} / ${m.slots.skipped}`} hint="missed: collapsed after downtime; skipped: overlap" />
      </div>
    </Card>
  );
}

const TREND_TONE = { increasing: "red", decreasing: "green", stable: "slate" } as const;

export function TrendPanel({ m }: { m: MonitoringDto }) {
  const t = m.trend;
  return (
    <Card title="Failure trend">
      <p className="text-sm">
        <Badge tone={TREND_TONE[t.direction]}>{t.direction === "increasing" ? "▲ increasing" : t.direction === "decreasing" ? "▼ decreasing" : "● stable"}</Badge>{" "}
        earlier half {percent(t.earlier_failure_rate)} → later half {percent(t.later_failure_rate)}
      </p>
      <p className="mt-2 text-xs text-slate-500">{t.definition}</p>
    </Card>
  );
}

export function ErrorGroupsPanel({ m }: { m: MonitoringDto }) {
  return (
    <Card title="Error groups">
      {m.error_groups.length === 0 ? (
        <Empty>No failed runs in this window.</Empty>
      ) : (
        <table className="w-full text-left text-sm">
          <thead className="text-xs uppercase text-slate-500">
            <tr><th className="py-1">Code</th><th>Count</th><th>Last seen</th><th>Example</th><th>Schedules</th></tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {m.error_groups.map((g) => (
              <tr key={g.code}>
                <td className="py-2 font-mono text-xs">{g.code}</td>
                <td>{g.count}</td>
                <td className="whitespace-nowrap">{when(g.last_seen)}</td>
                <td className="max-w-xs truncate" title={g.example_message ?? ""}>{g.example_message ?? "—"}</td>
                <td>{g.schedules.map((s) => <a key={s.id} className="mr-2 text-indigo-700 hover:underline" href={`/schedule/${s.id}/history`}>{s.name || s.id}</a>)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

export function SchedulesPanel({ m }: { m: MonitoringDto }) {
  return (
    <Card title="Schedules">
      {m.schedules.length === 0 ? (
        <Empty>No runs in this window.</Empty>
      ) : (
        <table className="w-full text-left text-sm">
          <thead className="text-xs uppercase text-slate-500">
            <tr><th className="py-1">Schedule</th><th>Runs</th><th>Failed</th><th>Success</th><th>p95</th></tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {m.schedules.map((s) => (
              <tr key={s.id}>
                <td className="py-2"><a className="text-indigo-700 hover:underline" href={`/monitoring?window=${m.window}&schedule_id=${s.id}`}>{s.name}</a></td>
                <td>{s.runs}</td>
                <td>{s.failed}</td>
                <td>{percent(s.success_rate)}</td>
                <td>{formatDuration(s.p95_ms)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

export function SchedulerPanel({ s }: { s: SchedulerStatusDto }) {
  const missed = s.missed_while_down;
  return (
    <Card title="Scheduler">
      <p className="text-sm">
        <Badge tone={s.running ? "green" : "red"}>{s.running ? "✓ running" : "✗ not running"}</Badge>{" "}
        last tick {when(s.last_tick_at)}, last success {when(s.last_success_at)}, {s.consecutive_failures} consecutive failures;{" "}
        {s.jobs_count} active schedule{s.jobs_count === 1 ? "" : "s"}, next run {when(s.next_runs[0]?.next_run_at ?? null)}
      </p>
      <p className="mt-1 text-sm" data-testid="missed-while-down">
        {missed.count === 0 ? "No slot of yours was due while the scheduler was silent." : `${missed.count} of your slots were due while the scheduler was silent: ${missed.reason}.`}
      </p>
      <p className="mt-2 text-xs text-slate-500">Running means a dispatcher tick within the last 2 minutes. While it is not, due runs are reported as “scheduler down”, not as your schedules’ failures.</p>
      <div className="mt-3"><LazyTicksChart hours={s.ticks_per_hour} /></div>
    </Card>
  );
}

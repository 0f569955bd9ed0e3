"use client";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { errorMessage } from "@/components/schedules/api";
import { fetchRun, POLL_MS, runKeys } from "@/components/runs/api";
import { DeliveriesTable } from "@/components/runs/deliveries-table";
import { formatCount, formatDuration, isActive } from "@/components/runs/format";
import { HealthScore } from "@/components/runs/health-score";
import { Metric, Metrics } from "@/components/runs/metric";
import { ReplayButton } from "@/components/runs/replay-button";
import { RunTimeline } from "@/components/runs/run-timeline";
import { RunStatusBadge } from "@/components/runs/status-badge";
import { RunTime } from "@/components/runs/time";
import { Card } from "@/components/ui/card";
import type { RunDto } from "@/lib/runs/schemas";

const link = "text-indigo-700 underline-offset-2 hover:underline";

/** One run; while it is queued or running it refreshes itself until it settles. */
export function RunDetail({ initial }: { initial: RunDto }) {
  const query = useQuery({
    queryKey: runKeys.one(initial.id),
    queryFn: () => fetchRun(initial.id),
    initialData: initial,
    // Stops on an error (run deleted, session expired) instead of polling a dead end forever.
    refetchInterval: (q) => (q.state.status !== "error" && q.state.data && isActive(q.state.data.status) ? POLL_MS : false),
  });
  const run = query.data;
  return (
    <div className="space-y-6">
      <Link href={`/schedule/${run.schedule_id}/history`} className={`text-sm ${link}`}>← Run history of {run.schedule_name || "the schedule"}</Link>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">Run</h1>
        <RunStatusBadge status={run.status} />
        <span className="text-sm text-slate-600">
          {run.trigger} · slot <RunTime iso={run.scheduled_for} />
        </span>
        {run.status === "failed" && <ReplayButton runId={run.id} scheduleId={run.schedule_id} />}
      </div>
      {query.isError && <p role="alert" className="text-sm text-red-700">Refresh failed: {errorMessage(query.error)}</p>}

      <Card title="Timeline">
        <RunTimeline run={run} />
      </Card>

      {(run.error_code || run.error_message) && (
        <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-900" data-testid="run-error">
          <div className="font-semibold">{run.status === "skipped" ? "Skipped" : "Error"}{run.error_code ? ` · ${run.error_code}` : ""}</div>
          {run.error_message && <p className="mt-1 break-words">{run.error_message}</p>}
        </div>
      )}

      <Metrics>
        <Metric label="Deals analysed" testId="metric-deals">{formatCount(run.deals_analyzed)}</Metric>
        <Metric label="Health score" testId="metric-health"><HealthScore score={run.health_score} /></Metric>
        <Metric label="Issues" testId="metric-issues">{formatCount(run.issues_found)}</Metric>
        <Metric label="High-risk deals" testId="metric-high-risk">{formatCount(run.high_risk_deals)}</Metric>
        <Metric label="Duration" testId="metric-duration">{formatDuration(run.duration_ms)}</Metric>
        <Metric label="Retries" testId="metric-retries">{run.retry_count}</Metric>
      </Metrics>

      <div className="flex flex-wrap gap-x-6 gap-y-2 text-sm">
        {run.analysis_id ? (
          <Link href={`/analysis/${run.analysis_id}`} className={link}>Open the analysis →</Link>
        ) : (
          <span className="text-slate-500">No analysis for this run{isActive(run.status) ? " yet" : ""}.</span>
        )}
        {run.dashboard_url && (
          <a href={run.dashboard_url} target="_blank" rel="noreferrer" className={link}>Open in Inngest ↗</a>
        )}
        {run.missed_slots > 0 && <span className="text-amber-800">Catch-up run for {run.missed_slots} missed slot(s)</span>}
      </div>

      <Card title="Deliveries">
        <DeliveriesTable deliveries={run.deliveries} />
      </Card>
    </div>
  );
}

import type { RunDto } from "@/lib/runs/schemas";
import type { ScheduleDto } from "@/lib/schedules/schemas";
import { formatLocal } from "@/lib/schedules/time";

// The monitoring guide's "Success indicators", checked for one schedule instead of by hand:
// executor connected, last run completed, email delivered, metrics recorded, next run in the future.
// Pure: the page gathers the facts (schedule, its latest run, the executor), this judges them.

export type CheckState = "ok" | "pending" | "problem" | "off";
export type CheckItem = {
  key: "executor" | "last_run" | "email" | "metrics" | "next_run";
  label: string;
  state: CheckState;
  detail: string;
  /** where to look or fix it */
  link: { href: string; label: string };
};

export type ExecutorFacts = { reachable: boolean; kind: string; dashboardUrl: string; url: string | null };

const EDIT = (what: string) => `#schedule-${what}`;

const EXECUTOR_NAME: Record<string, string> = { "local-executor": "local executor", "dev-server": "Inngest Dev Server", "inngest-cloud": "Inngest Cloud", "self-hosted": "self-hosted Inngest" };

function executorItem(ex: ExecutorFacts): CheckItem {
  const where = ex.kind === "local-executor" ? { href: "/dev/executor", label: "Open the local executor" } : { href: ex.dashboardUrl, label: "Open Inngest" };
  // In cloud mode the app does not probe Inngest (lib/executor.ts): say so rather than claim a check.
  const ok = ex.kind === "inngest-cloud" || ex.kind === "self-hosted" ? `${EXECUTOR_NAME[ex.kind] ?? ex.kind} (not probed from here; a completed run confirms it)` : `The ${EXECUTOR_NAME[ex.kind] ?? ex.kind} is reachable`;
  return ex.reachable
    ? { key: "executor", label: "Executor connected", state: "ok", detail: ok, link: where }
    : { key: "executor", label: "Executor connected", state: "problem", detail: `No executor answers at ${ex.url ?? "the configured URL"}: runs will not start`, link: where };
}

function lastRunItem(s: ScheduleDto, run: RunDto | null): CheckItem {
  const history = { href: `/schedule/${s.id}/history`, label: "All runs" };
  const label = "Last run completed";
  if (!run) return { key: "last_run", label, state: "pending", detail: "No run yet: click Run now or wait for the next slot", link: history };
  const open = { href: `/runs/${run.id}`, label: "Open the run" };
  switch (run.status) {
    case "completed":
      return { key: "last_run", label, state: "ok", detail: "The latest run completed", link: open };
    case "queued":
    case "running":
      return { key: "last_run", label, state: "pending", detail: `The latest run is ${run.status}`, link: open };
    case "failed":
      return { key: "last_run", label, state: "problem", detail: `The latest run failed: ${run.error_message ?? run.error_code ?? "no reason recorded"}`, link: open };
    default:
      return { key: "last_run", label, state: "problem", detail: `The latest run was ${run.status}`, link: open };
  }
}

function emailItem(s: ScheduleDto, run: RunDto | null, outbox: boolean): CheckItem {
  const label = "Email delivered";
  if (!s.delivery_channels.includes("email"))
    return { key: "email", label, state: "off", detail: "Email delivery is off for this schedule", link: { href: EDIT("email"), label: "Turn on email" } };
  const email = run?.deliveries.find((d) => d.channel === "email");
  const seeIt = outbox ? { href: "/dev/outbox", label: "Open the outbox" } : run ? { href: `/runs/${run.id}`, label: "Open the run" } : { href: EDIT("recipients"), label: "Recipients" };
  if (!run || run.status === "queued" || run.status === "running" || !email)
    return { key: "email", label, state: run?.status === "failed" ? "problem" : "pending", detail: run?.status === "failed" ? "The latest run failed before sending email" : "Not sent yet", link: seeIt };
  if (email.status === "sent") return { key: "email", label, state: "ok", detail: `Sent to ${email.target}`, link: seeIt };
  if (email.status === "pending") return { key: "email", label, state: "pending", detail: "Sending", link: seeIt };
  return {
    key: "email", label, state: "problem",
    detail: `Email ${email.status}: ${email.error_message ?? email.error_code ?? "no reason recorded"}`,
    link: { href: `/runs/${run.id}`, label: "Open the run" },
  };
}

function metricsItem(s: ScheduleDto, run: RunDto | null): CheckItem {
  const label = "Metrics recorded";
  if (run?.status === "completed" && run.deals_analyzed !== null && run.health_score !== null) {
    const link = run.analysis_id ? { href: `/analysis/${run.analysis_id}`, label: "Open the analysis" } : { href: `/runs/${run.id}`, label: "Open the run" };
    return { key: "metrics", label, state: "ok", detail: `${run.deals_analyzed} deals analysed, health score ${run.health_score}`, link };
  }
  const link = run ? { href: `/runs/${run.id}`, label: "Open the run" } : { href: `/schedule/${s.id}/history`, label: "All runs" };
  if (run?.status === "failed") return { key: "metrics", label, state: "problem", detail: "The latest run recorded no metrics", link };
  return { key: "metrics", label, state: "pending", detail: "Recorded when a run completes", link };
}

function nextRunItem(s: ScheduleDto, now: Date): CheckItem {
  const label = "Next run in the future";
  if (!s.is_active) return { key: "next_run", label, state: "off", detail: "Paused: no runs are scheduled", link: { href: EDIT("is-active"), label: "Activate" } };
  const next = s.next_run_at ? new Date(s.next_run_at) : null;
  if (next && next > now) return { key: "next_run", label, state: "ok", detail: `Next run ${formatLocal(next, s.timezone)}`, link: { href: "/schedule", label: "Upcoming runs" } };
  return {
    key: "next_run", label, state: "problem",
    detail: next ? `next_run_at ${s.next_run_at} is in the past: the scheduler is behind` : "No next run: the cron matches no future time",
    link: next ? { href: "/api/scheduler/status", label: "Scheduler status" } : { href: EDIT("cron"), label: "Edit the schedule" },
  };
}

export function successChecklist(s: ScheduleDto, latest: RunDto | null, executor: ExecutorFacts, opts: { outbox: boolean; now?: Date }): CheckItem[] {
  return [
    executorItem(executor),
    lastRunItem(s, latest),
    emailItem(s, latest, opts.outbox),
    metricsItem(s, latest),
    nextRunItem(s, opts.now ?? new Date()),
  ];
}

import "server-only";
import { systemDb } from "@/lib/db";
import type { ReviewRun } from "@/lib/generated/prisma/client";
import { openMessages, findOpen, openAlert, resolveAlert, rulesOf, type Subject } from "@/lib/alerts/lifecycle";
import type { RuleName } from "@/lib/alerts/schemas";
import { settingsFor, type EffectiveSettings } from "@/lib/alerts/settings";

// The run rules, evaluated after every run outcome (review/run.failed, review/run.completed) and, for
// monitors, after every reported execution: each rule opens on the run that breaks it and resolves after
// K good runs in a row (recovery_successes).

const HOUR = 3_600_000;
export type Run = Pick<ReviewRun, "status" | "completedAt" | "durationMs" | "healthScore">;
type Rule = {
  rule: RuleName;
  /** the latest finished runs break the rule: open (no-op when already open) */
  breaks: (runs: Run[], s: EffectiveSettings, failedInWindow: number) => boolean;
  /** one run that satisfies the rule; K of them in a row resolve */
  good: (run: Run, s: EffectiveSettings) => boolean;
  describe: (s: EffectiveSettings, name: string) => { title: string; message: string };
};

const failed = (r: Run) => r.status === "FAILED";
export const RUN_RULES: Rule[] = [
  {
    rule: "failures_in_window",
    breaks: (runs, s, inWindow) => failed(runs[0]!) && inWindow >= s.rules.failures_in_window.count,
    good: (r) => r.status === "COMPLETED",
    describe: (s, name) => {
      const { count, window_hours } = s.rules.failures_in_window;
      return { title: `${name}: ${count}+ failed runs in ${window_hours} h`, message: `Schedule “${name}” had at least ${count} failed runs within ${window_hours} hours.` };
    },
  },
  {
    rule: "consecutive_failures",
    breaks: (runs, s) => runs.length >= s.rules.consecutive_failures.count && runs.slice(0, s.rules.consecutive_failures.count).every(failed),
    good: (r) => r.status === "COMPLETED",
    describe: (s, name) => ({ title: `${name}: ${s.rules.consecutive_failures.count} failed runs in a row`, message: `The last ${s.rules.consecutive_failures.count} runs of schedule “${name}” failed.` }),
  },
  {
    rule: "low_health_score",
    breaks: (runs, s) => runs[0]!.status === "COMPLETED" && runs[0]!.healthScore !== null && runs[0]!.healthScore < s.rules.low_health_score.floor,
    good: (r, s) => r.status === "COMPLETED" && (r.healthScore ?? 100) >= s.rules.low_health_score.floor,
    describe: (s, name) => ({ title: `${name}: pipeline health below ${s.rules.low_health_score.floor}`, message: `The latest review of “${name}” scored below the floor of ${s.rules.low_health_score.floor}.` }),
  },
  {
    rule: "slow_run",
    breaks: (runs, s) => (runs[0]!.durationMs ?? 0) > s.rules.slow_run.limit_seconds * 1000,
    // Only a completed run under the limit shows the job is fast again (a failed run may have stopped early).
    good: (r, s) => r.status === "COMPLETED" && (r.durationMs ?? 0) <= s.rules.slow_run.limit_seconds * 1000,
    describe: (s, name) => ({ title: `${name}: a run took over ${s.rules.slow_run.limit_seconds} s`, message: `The latest run of “${name}” took longer than ${s.rules.slow_run.limit_seconds} seconds.` }),
  },
];

/**
 * What went wrong in the episode, from the last completed run before the alert opened up to now:
 * failed runs, and slots missed while the scheduler was down (counted on the catch-up runs) or skipped.
 */
async function episode(scheduleId: string, openedAt: Date, now: Date): Promise<{ failed: number; missed: number }> {
  const before = await systemDb().reviewRun.findFirst({
    where: { scheduledReviewId: scheduleId, status: "COMPLETED", completedAt: { lt: openedAt } },
    orderBy: { completedAt: "desc" },
    select: { completedAt: true },
  });
  const since = before?.completedAt ? { gt: before.completedAt } : {};
  const failed = await systemDb().reviewRun.count({ where: { scheduledReviewId: scheduleId, status: "FAILED", completedAt: { lte: now, ...since } } });
  const slots = await systemDb().reviewRun.aggregate({ where: { scheduledReviewId: scheduleId, queuedAt: { lte: now, ...since } }, _sum: { missedSlots: true } });
  const skipped = await systemDb().reviewRun.count({ where: { scheduledReviewId: scheduleId, status: "SKIPPED", queuedAt: { lte: now, ...since } } });
  return { failed, missed: (slots._sum.missedSlots ?? 0) + skipped };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export type RunOutcome = { ownerId: string; scheduleId: string; runId: string };

type Apply = {
  subject: Subject;
  name: string;
  rules: Rule[];
  /** newest first, at least max(recovery_successes, consecutive count) when there are that many */
  runs: Run[];
  failedInWindow: number;
  /** the recovery's "what happened meanwhile", for an alert opened at openedAt */
  summary: (openedAt: Date) => Promise<string>;
  /** whether a rule of the open alert that these runs do not judge (a monitor's monitor_down) has cleared */
  otherCleared?: (rule: RuleName) => Promise<boolean>;
};

/** Every rule of the subject's open alert is satisfied by the last K runs (or, for another rule, has cleared). */
export async function runRulesCleared(s: EffectiveSettings, a: Pick<Apply, "rules" | "runs" | "otherCleared">, rules: RuleName[]): Promise<boolean> {
  const recent = a.runs.slice(0, s.recoverySuccesses);
  for (const name of rules) {
    const r = a.rules.find((x) => x.rule === name);
    const ok = r ? recent.length >= s.recoverySuccesses && recent.every((run) => r.good(run, s)) : ((await a.otherCleared?.(name)) ?? false);
    if (!ok) return false;
  }
  return true;
}

/**
 * One incident per subject: the rules the latest runs break open one alert (or join the open one); it
 * resolves once K good runs in a row satisfy every rule it carries. Returns the notifications to send.
 */
export async function applyRunRules(s: EffectiveSettings, a: Apply, now: Date): Promise<string[]> {
  if (!a.runs.length) return [];
  const broken = a.rules.filter((r) => s.rules[r.rule].enabled && r.breaks(a.runs, s, a.failedInWindow));
  if (broken.length) return openAlert(s, broken.map((r) => ({ rule: r.rule, subject: a.subject, ...r.describe(s, a.name) })), now);
  const open = await findOpen(s.ownerId, a.subject);
  if (!open) return [];
  if (!(await runRulesCleared(s, a, await rulesOf(open)))) return openMessages(s, open, now); // a retry of the step that opened it
  return resolveAlert(s, open, now, { summary: await a.summary(open.openedAt) });
}

export const depthOf = (s: EffectiveSettings) => Math.max(s.recoverySuccesses, s.rules.consecutive_failures.count);
export const windowStart = (s: EffectiveSettings, now: Date) => new Date(now.getTime() - s.rules.failures_in_window.window_hours * HOUR);
export const recoveredText = (s: EffectiveSettings) => `Recovered after ${plural(s.recoverySuccesses, "good run")} in a row`;

/** Opens and resolves the schedule's alerts after one run finished; returns the notifications to send. */
export async function evaluateRunOutcome(event: RunOutcome, now = new Date()): Promise<string[]> {
  const s = await settingsFor(event.ownerId);
  if (!s.enabled) return [];
  const schedule = await systemDb().scheduledReview.findFirst({ where: { id: event.scheduleId, ownerId: event.ownerId }, select: { id: true, name: true, isActive: true } });
  // A late or manual run of a paused schedule opens nothing: the sweep resolves a paused schedule's alert.
  if (!schedule?.isActive) return [];
  const runs = await systemDb().reviewRun.findMany({
    where: { scheduledReviewId: schedule.id, status: { in: ["COMPLETED", "FAILED"] }, completedAt: { lte: now } },
    orderBy: { completedAt: "desc" },
    take: depthOf(s),
    select: { status: true, completedAt: true, durationMs: true, healthScore: true },
  });
  const failedInWindow = await systemDb().reviewRun.count({
    where: { scheduledReviewId: schedule.id, status: "FAILED", completedAt: { gt: windowStart(s, now), lte: now } },
  });
  return applyRunRules(s, {
    subject: { type: "schedule", id: schedule.id, scheduleId: schedule.id },
    name: schedule.name,
    rules: RUN_RULES,
    runs,
    failedInWindow,
    summary: async (openedAt) => {
      const { failed, missed } = await episode(schedule.id, openedAt, now);
      return `${recoveredText(s)}; ${plural(failed, "run")} failed`
        + `${missed ? ` and ${plural(missed, "slot")} ${missed === 1 ? "was" : "were"} missed` : ""} since the last successful run before it opened.`;
    },
  }, now);
}

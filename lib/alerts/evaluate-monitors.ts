import "server-only";
import { systemDb } from "@/lib/db";
import type { Alert, ExecutionLog, Monitor } from "@/lib/generated/prisma/client";
import { monitorState } from "@/lib/monitors/state";
import { findOpen, openAlert, resolveAlert, rulesOf, type Condition } from "@/lib/alerts/lifecycle";
import { applyRunRules, depthOf, recoveredText, RUN_RULES, runRulesCleared, windowStart, type Run } from "@/lib/alerts/evaluate-runs";
import type { RuleName } from "@/lib/alerts/schemas";
import { settingsFor, type EffectiveSettings } from "@/lib/alerts/settings";

// The same alert rules for monitors of external jobs: the run rules (N failures in W hours, N in a
// row) on their reported executions, and "monitor down" (an expected run missed past its grace, or a
// started run over its max runtime) from the alert sweep.

const FINISHED = ["SUCCESS", "FAILURE", "PARTIAL"] as const;
const asRun = (e: Pick<ExecutionLog, "status" | "finishedAt" | "durationMs">): Run =>
  ({ status: e.status === "FAILURE" ? "FAILED" : "COMPLETED", completedAt: e.finishedAt, durationMs: e.durationMs, healthScore: null });
const subjectOf = (m: Pick<Monitor, "id">) => ({ type: "monitor" as const, id: m.id, monitorId: m.id });

export type MonitorOutcome = { ownerId: string; monitorId: string; executionId: string };
const MONITOR_RUN_RULES = RUN_RULES.filter((r) => r.rule === "failures_in_window" || r.rule === "consecutive_failures");

const recentRuns = async (s: EffectiveSettings, monitorId: string) =>
  (await systemDb().executionLog.findMany({
    where: { monitorId, status: { in: [...FINISHED] } }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: depthOf(s), select: { status: true, finishedAt: true, durationMs: true },
  })).map(asRun);

/** A monitor alert's rule cleared: monitor_down once the monitor is up; the run rules after K good executions. */
async function monitorCleared(s: EffectiveSettings, m: Monitor, rule: RuleName, now: Date): Promise<boolean> {
  if (rule === "monitor_down") {
    const last = await systemDb().executionLog.findFirst({ where: { monitorId: m.id }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
    return monitorState(m, last, now) === "up";
  }
  return runRulesCleared(s, { rules: MONITOR_RUN_RULES, runs: await recentRuns(s, m.id) }, [rule]);
}

/** After a reported execution finished: the run rules on the monitor's executions. */
export async function evaluateMonitorOutcome(event: MonitorOutcome, now = new Date()): Promise<string[]> {
  const s = await settingsFor(event.ownerId);
  if (!s.enabled) return [];
  const monitor = await systemDb().monitor.findFirst({ where: { id: event.monitorId, ownerId: event.ownerId } });
  if (!monitor) return [];
  const failedInWindow = await systemDb().executionLog.count({ where: { monitorId: monitor.id, status: "FAILURE", createdAt: { gt: windowStart(s, now), lte: now } } });
  return applyRunRules(s, {
    subject: subjectOf(monitor),
    name: `Monitor “${monitor.name}”`,
    rules: MONITOR_RUN_RULES,
    runs: await recentRuns(s, monitor.id),
    failedInWindow,
    otherCleared: (rule) => monitorCleared(s, monitor, rule, now),
    summary: async (openedAt) => {
      const failed = await systemDb().executionLog.count({ where: { monitorId: monitor.id, status: "FAILURE", createdAt: { gte: openedAt, lte: now } } });
      return `${recoveredText(s)}; ${failed} execution${failed === 1 ? "" : "s"} failed while the alert was open.`;
    },
  }, now);
}

const downCondition = (m: Monitor, why: string): Condition => ({
  rule: "monitor_down",
  subject: subjectOf(m),
  title: `Monitor “${m.name}” is down`,
  message: `Monitor “${m.name}”: ${why}.`,
});

/**
 * For the sweep: each monitor of the workspace that missed its run (or overran) opens (or joins the
 * monitor's open alert); the alert resolves once every rule it carries has cleared, or the monitor is paused.
 * Alerts of deleted monitors resolve.
 */
export async function monitorDowns(s: EffectiveSettings, now: Date): Promise<string[]> {
  const monitors = await systemDb().monitor.findMany({ where: { ownerId: s.ownerId } });
  const ids: string[] = [];
  for (const m of monitors) {
    const last = await systemDb().executionLog.findFirst({ where: { monitorId: m.id }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
    const state = monitorState(m, last, now);
    const open = await findOpen(s.ownerId, subjectOf(m));
    // A failed execution is the run rules' business; this rule is about runs that did not happen or end.
    const missing = state === "down" && last?.status !== "FAILURE";
    if (missing && s.rules.monitor_down.enabled) {
      const why = last?.status === "RUNNING" ? "a started run is over its max runtime" : "the expected run did not start within the grace time";
      ids.push(...(await openAlert(s, [downCondition(m, why)], now))); // or joins; a retry re-derives its messages
    } else if (open && state === "paused") {
      ids.push(...(await resolveAlert(s, open, now, { summary: "The monitor was paused." })));
    } else if (open && state === "up" && (await everyRuleCleared(s, m, open, now))) {
      ids.push(...(await resolveAlert(s, open, now, { summary: "The job reported a run again." })));
    }
  }
  const gone = await systemDb().alert.findMany({ where: { ownerId: s.ownerId, status: "OPEN", subjectType: "monitor", subjectId: { notIn: monitors.map((m) => m.id) } } });
  for (const alert of gone) ids.push(...(await resolveAlert(s, alert, now, { summary: "The monitor was deleted.", resolution: "monitor_deleted" })));
  return ids;
}

async function everyRuleCleared(s: EffectiveSettings, m: Monitor, open: Alert, now: Date): Promise<boolean> {
  for (const rule of await rulesOf(open)) if (!(await monitorCleared(s, m, rule, now))) return false;
  return true;
}

import { forTenant, systemDb } from "@/lib/db";
import { iso } from "@/lib/format";
import type { SchedulerTick } from "@/lib/generated/prisma/client";
import { nextRunAfter } from "@/lib/schedules/time";
import { stuckRunFilters } from "./reconcile";
import { NEXT_RUNS, RUNNING_WITHIN_MS, type SchedulerStatusDto } from "./schemas";

// GET /api/scheduler/status: the scheduler's heartbeat (global, from SchedulerTick rows; nothing
// tenant-specific in it) next to the caller's own schedules, upcoming runs and stuck runs.

function lastTickOf(t: SchedulerTick | null): SchedulerStatusDto["last_tick"] {
  if (!t) return null;
  const outcome = t.outcome === "SUCCESS" ? "success" : t.outcome === "FAILURE" ? "failure" : "running";
  return { outcome, due: t.dueCount, dispatched: t.dispatched, skipped: t.skipped, missed: t.missed, duration_ms: t.durationMs };
}

type Upcoming = { id: string; name: string; cron: string; timezone: string; nextRunAt: Date };
type NextRun = SchedulerStatusDto["next_runs"][number];

/**
 * The soonest NEXT_RUNS runs over the given schedules. Only schedules among the NEXT_RUNS soonest
 * next_run_at can own one of them, and each contributes at most NEXT_RUNS slots.
 */
export function mergeNextRuns(schedules: Upcoming[]): NextRun[] {
  const runs = schedules.flatMap((s) => {
    const slots = [s.nextRunAt];
    try {
      for (let next = nextRunAfter(s.cron, s.timezone, s.nextRunAt); next && slots.length < NEXT_RUNS; next = nextRunAfter(s.cron, s.timezone, next)) {
        slots.push(next);
      }
    } catch {
      // A cron or zone that no longer parses: its stored next_run_at is all there is to show.
    }
    return slots.map((at) => ({ schedule_id: s.id, schedule_name: s.name, at }));
  });
  runs.sort((a, b) => a.at.getTime() - b.at.getTime() || a.schedule_id.localeCompare(b.schedule_id));
  return runs.slice(0, NEXT_RUNS).map((r) => ({ schedule_id: r.schedule_id, schedule_name: r.schedule_name, next_run_at: r.at.toISOString() }));
}

export async function getSchedulerStatus(ownerId: string, now = new Date()): Promise<SchedulerStatusDto> {
  const latest = (where: { kind: "DISPATCH" | "RECONCILE"; outcome?: "SUCCESS" }) =>
    systemDb().schedulerTick.findFirst({ where, orderBy: { startedAt: "desc" } });
  const tenantDb = forTenant(ownerId);
  const stuck = stuckRunFilters(now);
  const [lastTick, lastSuccess, lastReconcile, activeSchedules, upcoming, stuckRuns] = await Promise.all([
    latest({ kind: "DISPATCH" }),
    latest({ kind: "DISPATCH", outcome: "SUCCESS" }),
    latest({ kind: "RECONCILE" }),
    tenantDb.scheduledReview.count({ where: { isActive: true } }),
    tenantDb.scheduledReview.findMany({
      where: { isActive: true, nextRunAt: { not: null } },
      orderBy: [{ nextRunAt: "asc" }, { id: "asc" }],
      take: NEXT_RUNS,
      select: { id: true, name: true, cron: true, timezone: true, nextRunAt: true },
    }),
    tenantDb.reviewRun.count({ where: { OR: [stuck.queued, stuck.running] } }),
  ]);
  const consecutiveFailures = await systemDb().schedulerTick.count({
    where: { kind: "DISPATCH", outcome: "FAILURE", ...(lastSuccess ? { startedAt: { gt: lastSuccess.startedAt } } : {}) },
  });
  return {
    running: !!lastTick && now.getTime() - lastTick.startedAt.getTime() <= RUNNING_WITHIN_MS,
    last_tick_at: iso(lastTick?.startedAt),
    last_success_at: iso(lastSuccess?.startedAt),
    consecutive_failures: consecutiveFailures,
    last_tick: lastTickOf(lastTick),
    last_reconcile_at: iso(lastReconcile?.startedAt),
    active_schedules: activeSchedules,
    next_runs: mergeNextRuns(upcoming.flatMap((s) => (s.nextRunAt ? [{ ...s, nextRunAt: s.nextRunAt }] : []))),
    stuck_runs: stuckRuns,
  };
}

import "server-only";
import { forTenant, systemDb } from "@/lib/db";
import { iso } from "@/lib/format";
import { nextRunAfter } from "@/lib/schedules/time";
import { downPeriods, readHeartbeat, readTicksSince, shownOutcome, tickHours, tickWindowStart } from "./heartbeat";
import { missedWhileDown } from "./missed-while-down";
import { stuckRunFilters } from "./reconcile";
import { NEXT_RUNS, SCHEDULER_DOWN_REASON, type SchedulerStatusDto } from "./schemas";

// GET /api/scheduler/status: the dispatcher's heartbeat (platform health: when ticks ran, how long,
// whether they failed; never what they dispatched, which counts every tenant's work) next to the
// caller's own schedules, next runs, stuck runs and the runs it was owed while the scheduler was down.

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
  const tenantDb = forTenant(ownerId);
  const stuck = stuckRunFilters(now);
  const windowFrom = tickWindowStart(now);
  const [heartbeat, recent, lastReconcile, activeSchedules, upcoming, stuckRuns] = await Promise.all([
    readHeartbeat(now),
    readTicksSince(windowFrom),
    systemDb().schedulerTick.findFirst({ where: { kind: "RECONCILE" }, orderBy: { startedAt: "desc" }, select: { startedAt: true } }),
    tenantDb.scheduledReview.count({ where: { isActive: true } }),
    tenantDb.scheduledReview.findMany({
      where: { isActive: true, nextRunAt: { not: null } },
      orderBy: [{ nextRunAt: "asc" }, { id: "asc" }],
      take: NEXT_RUNS,
      select: { id: true, name: true, cron: true, timezone: true, nextRunAt: true },
    }),
    tenantDb.reviewRun.count({ where: { OR: [stuck.queued, stuck.running] } }),
  ]);
  const periods = downPeriods(recent.ticks, windowFrom, now, recent.before);
  const missed = await missedWhileDown(ownerId, periods, windowFrom, now);
  const last = heartbeat.lastTick;
  return {
    running: heartbeat.running,
    last_tick_at: iso(last?.startedAt),
    last_success_at: iso(heartbeat.lastSuccessAt),
    consecutive_failures: heartbeat.consecutiveFailures,
    last_tick: last ? { outcome: shownOutcome(last, now), started_at: last.startedAt.toISOString(), duration_ms: last.durationMs } : null,
    ticks_per_hour: tickHours(recent.ticks, now).map((b) => ({ hour: b.hour.toISOString(), ticks: b.ticks, failures: b.failures, p50_ms: b.p50Ms, max_ms: b.maxMs })),
    down_periods: periods.map((p) => ({ from: p.from.toISOString(), to: iso(p.to) })),
    missed_while_down: {
      reason: SCHEDULER_DOWN_REASON,
      window_from: windowFrom.toISOString(),
      window_to: now.toISOString(),
      count: missed.count,
      slots: missed.slots.map((m) => ({ schedule_id: m.scheduleId, schedule_name: m.scheduleName, due_at: m.dueAt.toISOString() })),
    },
    last_reconcile_at: iso(lastReconcile?.startedAt),
    active_schedules: activeSchedules,
    jobs_count: activeSchedules,
    next_runs: mergeNextRuns(upcoming.flatMap((s) => (s.nextRunAt ? [{ ...s, nextRunAt: s.nextRunAt }] : []))),
    stuck_runs: stuckRuns,
  };
}

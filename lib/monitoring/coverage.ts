import { forTenant, systemDb } from "@/lib/db";
import type { CoverageDto, CoverageRange } from "@/lib/monitoring/schemas";
import { CATCH_UP_GRACE_MS } from "@/lib/scheduler/decide";
import { slotsBetween } from "@/lib/schedules/time";

// The coverage postcheck (the coverage guide): every slot each active schedule should have run in a
// window (its cron and zone, DST as the dispatcher applies it, from its creation on) against the
// runs that completed. HEALTHY at >= 95 %. A slot with no run while no dispatcher tick ran near it
// is "scheduler_down", not the schedule's failure.

export const HEALTHY_PCT = 95;
const MAX_SLOTS_PER_SCHEDULE = 50_000;
const MAX_LISTED = 500;
/** A dispatcher tick this soon after a slot means the scheduler was alive for it. */
const TICK_NEAR_MS = 5 * 60_000;

type ScheduleRow = { id: string; name: string; ownerId: string; cron: string; timezone: string; timingChangedAt: Date; catchUpPolicy: string };
export type MissingSlot = { scheduleId: string; ownerId: string; slot: Date; reason: CoverageDto["missing"][number]["reason"]; catchUpPolicy: string };
export type Coverage = { dto: CoverageDto; missing: MissingSlot[] };

/**
 * Expected slots of one schedule in [from, until]: only since its timing last changed (created,
 * activated, resumed, or its cron or zone edited: the dispatcher owed nothing before), and not still
 * within the dispatch grace.
 */
export function expectedSlots(s: Pick<ScheduleRow, "cron" | "timezone" | "timingChangedAt">, from: Date, until: Date): Date[] {
  const start = new Date(Math.max(from.getTime(), s.timingChangedAt.getTime()) - 1); // afterExclusive: a slot at `from` counts
  if (start >= until) return [];
  try {
    return slotsBetween(s.cron, s.timezone, start, until, MAX_SLOTS_PER_SCHEDULE);
  } catch {
    return []; // a cron or zone that no longer parses has no slots (dispatch reports it as broken)
  }
}

function tickedNear(ticks: number[], slot: number): boolean {
  // ticks are sorted: find the first tick at or after the slot
  let lo = 0;
  let hi = ticks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ticks[mid]! < slot) lo = mid + 1;
    else hi = mid;
  }
  return lo < ticks.length && ticks[lo]! - slot <= TICK_NEAR_MS;
}

/** Coverage of one tenant's active schedules (ownerId), or of every tenant's (null: the system postcheck). */
export async function computeCoverage(ownerId: string | null, range: CoverageRange, now = new Date()): Promise<Coverage> {
  const until = new Date(Math.min(range.to.getTime(), now.getTime() - CATCH_UP_GRACE_MS));
  const select = { id: true, name: true, ownerId: true, cron: true, timezone: true, timingChangedAt: true, catchUpPolicy: true } as const;
  const schedules: ScheduleRow[] = ownerId
    ? await forTenant(ownerId).scheduledReview.findMany({ where: { isActive: true }, select, orderBy: { createdAt: "asc" } })
    : await systemDb().scheduledReview.findMany({ where: { isActive: true }, select, orderBy: { createdAt: "asc" } });
  const runs = await systemDb().reviewRun.findMany({
    where: { scheduledReviewId: { in: schedules.map((s) => s.id) }, scheduledFor: { gte: range.from, lte: until } },
    select: { scheduledReviewId: true, scheduledFor: true, status: true, missedSlots: true },
  });
  const ticks = (
    await systemDb().schedulerTick.findMany({
      where: { kind: "DISPATCH", outcome: { not: "FAILURE" }, startedAt: { gte: range.from, lte: new Date(until.getTime() + TICK_NEAR_MS) } },
      select: { startedAt: true },
      orderBy: { startedAt: "asc" },
    })
  ).map((t) => t.startedAt.getTime());
  const runBySlot = new Map(runs.map((r) => [`${r.scheduledReviewId}@${r.scheduledFor.getTime()}`, r.status]));

  let expected = 0;
  let completed = 0;
  let pending = 0;
  const missing: MissingSlot[] = [];
  const perSchedule: CoverageDto["schedules"] = [];
  for (const s of schedules) {
    let sExpected = 0;
    let sCompleted = 0;
    let sPending = 0;
    const slots = expectedSlots(s, range.from, until);
    const collapsed = collapsedSlots(slots, runs.filter((r) => r.scheduledReviewId === s.id && r.missedSlots > 0));
    for (const slot of slots) {
      sExpected++;
      const status = runBySlot.get(`${s.id}@${slot.getTime()}`);
      if (status === "COMPLETED") sCompleted++;
      else if (status === "QUEUED" || status === "RUNNING") sPending++;
      else {
        const reason =
          status === "FAILED" ? "failed"
          : status === "SKIPPED" ? "skipped"
          : collapsed.has(slot.getTime()) ? "collapsed"
          : tickedNear(ticks, slot.getTime()) ? "not_run"
          : "scheduler_down";
        missing.push({ scheduleId: s.id, ownerId: s.ownerId, slot, reason, catchUpPolicy: s.catchUpPolicy });
      }
    }
    expected += sExpected;
    completed += sCompleted;
    pending += sPending;
    perSchedule.push({ id: s.id, name: s.name, expected: sExpected, completed: sCompleted, coverage_pct: pct(sCompleted, sExpected - sPending) });
  }
  missing.sort((a, b) => a.slot.getTime() - b.slot.getTime());
  const coverage = pct(completed, expected - pending);
  const names = new Map(schedules.map((s) => [s.id, s.name]));
  return {
    missing,
    dto: {
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      expected,
      completed,
      pending,
      coverage_pct: coverage,
      status: coverage === null || coverage >= HEALTHY_PCT ? "HEALTHY" : "NEEDS_ATTENTION",
      missing_count: missing.length,
      missing: missing.slice(0, MAX_LISTED).map((m) => ({
        schedule_id: m.scheduleId,
        schedule_name: names.get(m.scheduleId) ?? "",
        owner_id: m.ownerId,
        slot: m.slot.toISOString(),
        reason: m.reason,
      })),
      schedules: perSchedule,
    },
  };
}

/** The slots a catch-up run stood in for: the `missedSlots` expected slots right before its own. */
function collapsedSlots(slots: Date[], catchUps: { scheduledFor: Date; missedSlots: number }[]): Set<number> {
  const out = new Set<number>();
  for (const run of catchUps) {
    const at = slots.findIndex((s) => s.getTime() === run.scheduledFor.getTime());
    const end = at < 0 ? slots.filter((s) => s < run.scheduledFor).length : at;
    for (let i = Math.max(0, end - run.missedSlots); i < end; i++) out.add(slots[i]!.getTime());
  }
  return out;
}

function pct(done: number, due: number): number | null {
  return due > 0 ? Math.round((done / due) * 1000) / 10 : null;
}

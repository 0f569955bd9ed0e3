import type { CatchUpPolicy, OverlapPolicy } from "@/lib/generated/prisma/client";
import { nextRunAfter, slotsBetween } from "@/lib/schedules/time";

// The per-schedule decision of a dispatch: which slot runs, how many are collapsed into it, whether
// it is skipped (catch-up policy, overlap), and the next run. Pure: the dispatcher reads the inputs
// for a whole batch in one query each and writes the outcomes in one statement each. New policies
// (overlap, catch-up) belong here.

/** A slot dispatched later than this after its time counts as missed (the scheduler was down or lagging). */
export const CATCH_UP_GRACE_MS = 5 * 60_000;
const SLOT_CHUNK = 10_000;
const MAX_SLOTS_COUNTED = 1_000_000; // ~2 years of a per-minute schedule; beyond that the count is a floor

export type DueSchedule = {
  id: string; ownerId: string; cron: string; timezone: string; nextRunAt: Date;
  catchUpPolicy: CatchUpPolicy; catchUpWindowMinutes: number; overlapPolicy: OverlapPolicy;
};
/** A QUEUED or RUNNING run of the schedule. */
export type ActiveRun = { id: string; scheduledFor: Date };

export type Decision =
  /** record a run for `slot` (QUEUED), `missed` earlier slots collapsed into it */
  | { kind: "queue"; slot: Date; missed: number; next: Date | null }
  /** record `slot` as SKIPPED: `blockedBy` is still queued or running */
  | { kind: "overlap"; slot: Date; missed: number; next: Date | null; blockedBy: string }
  /** overlap policy BUFFER_ONE: record `slot` as waiting (SKIPPED, code buffered) until `blockedBy` ends */
  | { kind: "buffer"; slot: Date; missed: number; next: Date | null; blockedBy: string }
  /** no run: every due slot is missed (policy SKIP, or the latest slot is outside the catch-up window) */
  | { kind: "catch_up_skipped"; missed: number; next: Date | null };

/** The latest slot due in [previous, now] and how many slots that window holds. */
export function dueSlots(cron: string, tz: string, previous: Date, now: Date): { latest: Date; count: number } {
  let count = 0;
  let latest: Date | undefined;
  let cursor = new Date(previous.getTime() - 1); // previous itself is a slot
  for (;;) {
    const chunk = slotsBetween(cron, tz, cursor, now, SLOT_CHUNK);
    count += chunk.length;
    latest = chunk.at(-1) ?? latest;
    if (chunk.length < SLOT_CHUNK || count >= MAX_SLOTS_COUNTED || !latest) break;
    cursor = latest;
  }
  // next_run_at off the cron (the cron was edited without recomputing it): that instant is the slot.
  return latest ? { latest, count } : { latest: previous, count: 1 };
}

/** Where a due schedule stands in time: the slot to run, how many slots were due, the next run. */
export type SlotTiming = { latest: Date; count: number; next: Date | null };

/** Throws on a schedule whose cron or zone no longer parses (the dispatcher counts it as failed). */
export function slotTiming(s: Pick<DueSchedule, "cron" | "timezone" | "nextRunAt">, now: Date): SlotTiming {
  const { latest, count } = dueSlots(s.cron, s.timezone, s.nextRunAt, now);
  return { latest, count, next: nextRunAfter(s.cron, s.timezone, now) };
}

/** `timing` defaults to slotTiming(s, now); the dispatcher passes one computed per (cron, zone, next_run_at). */
export function decide(s: DueSchedule, now: Date, active: readonly ActiveRun[], timing: SlotTiming = slotTiming(s, now)): Decision {
  const { latest, count, next } = timing;
  const lateBy = now.getTime() - latest.getTime();
  const outsideWindow = lateBy > Math.max(CATCH_UP_GRACE_MS, s.catchUpWindowMinutes * 60_000);
  if (outsideWindow || (lateBy > CATCH_UP_GRACE_MS && s.catchUpPolicy === "SKIP")) return { kind: "catch_up_skipped", missed: count, next };
  // The slot's own run (a repeated dispatch) does not block it; under ALLOW nothing does.
  const blocking = s.overlapPolicy === "ALLOW" ? undefined : active.find((r) => r.scheduledFor.getTime() !== latest.getTime());
  if (blocking)
    return { kind: s.overlapPolicy === "BUFFER_ONE" ? "buffer" : "overlap", slot: latest, missed: count - 1, next, blockedBy: blocking.id };
  return { kind: "queue", slot: latest, missed: count - 1, next };
}

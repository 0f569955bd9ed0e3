import "server-only";
import { forTenant } from "@/lib/db";
import { slotsBetween } from "@/lib/schedules/time";
import { unrunSlotRange, type DownPeriod } from "./heartbeat";
import { MISSED_LISTED } from "./schemas";

// Sentry's lesson (a monitor must not blame the job for the monitor's own silence): slots of the
// tenant's active schedules that fell due while the dispatcher was silent and have no run are
// "not run: scheduler down", not failures or misses of the schedule.

const MAX_SLOTS_PER_PERIOD = 10_000; // a per-minute schedule over a week of silence; beyond it the count is a floor

export type MissedSlot = { scheduleId: string; scheduleName: string; dueAt: Date };

/** Slots due in [since, now] inside the down periods, newest first (MISSED_LISTED of them) and counted. */
export async function missedWhileDown(ownerId: string, periods: DownPeriod[], since: Date, now: Date): Promise<{ count: number; slots: MissedSlot[] }> {
  if (!periods.length) return { count: 0, slots: [] };
  const db = forTenant(ownerId);
  const schedules = await db.scheduledReview.findMany({
    where: { isActive: true },
    select: { id: true, name: true, cron: true, timezone: true, createdAt: true },
  });
  if (!schedules.length) return { count: 0, slots: [] };

  // `since - 1 ms` as the exclusive lower bound keeps a slot at exactly `since`.
  const floor = new Date(since.getTime() - 1);
  const ranges = periods
    .map((p) => unrunSlotRange(p, now))
    .map((r) => ({ after: r.after > floor ? r.after : floor, before: r.before }))
    .filter((r) => r.before > r.after);
  const candidates: MissedSlot[] = [];
  for (const s of schedules) {
    for (const r of ranges) {
      // A slot before the schedule existed was never owed.
      const after = s.createdAt > r.after ? s.createdAt : r.after;
      if (after >= r.before) continue;
      let slots: Date[];
      try {
        // slotsBetween includes its upper bound; the range's is exclusive.
        slots = slotsBetween(s.cron, s.timezone, after, new Date(r.before.getTime() - 1), MAX_SLOTS_PER_PERIOD);
      } catch {
        continue; // a cron or zone that no longer parses owes nothing we can name
      }
      for (const dueAt of slots) candidates.push({ scheduleId: s.id, scheduleName: s.name, dueAt });
    }
  }
  if (!candidates.length) return { count: 0, slots: [] };

  // A slot that got a run anyway (a catch-up run dispatched late, a repair) was run, not missed.
  const ran = await db.reviewRun.findMany({
    where: {
      scheduledReviewId: { in: [...new Set(candidates.map((c) => c.scheduleId))] },
      OR: ranges.map((r) => ({ scheduledFor: { gt: r.after, lt: r.before } })),
    },
    select: { scheduledReviewId: true, scheduledFor: true },
  });
  const key = (id: string, at: Date) => `${id}@${at.getTime()}`;
  const done = new Set(ran.map((r) => key(r.scheduledReviewId, r.scheduledFor)));
  const missed = candidates.filter((c) => !done.has(key(c.scheduleId, c.dueAt)));
  missed.sort((a, b) => b.dueAt.getTime() - a.dueAt.getTime() || a.scheduleId.localeCompare(b.scheduleId));
  return { count: missed.length, slots: missed.slice(0, MISSED_LISTED) };
}

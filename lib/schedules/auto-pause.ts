import "server-only";
import { recordAudit, SYSTEM_ACTOR } from "@/lib/audit/record";
import { systemDb } from "@/lib/db";

// Auto-pause (off by default): a schedule whose last N finished runs since it was last resumed all
// failed is paused, with the reason as its pause note and an audit row, in one transaction.
// Compare-and-set on isActive, so concurrent failures of the same schedule pause it once. Called by its own Inngest step after
// review/run.failed was announced (never inside the step that fails the run), so a throw here can only
// retry this step, not lose the failure event; a duplicate or concurrent copy of the step pauses once.

export async function autoPauseIfFailing(scheduleId: string, now = new Date()): Promise<boolean> {
  const db = systemDb();
  const schedule = await db.scheduledReview.findUnique({
    where: { id: scheduleId },
    select: { ownerId: true, name: true, isActive: true, autoPauseAfterFailures: true },
  });
  const n = schedule?.autoPauseAfterFailures;
  if (!schedule?.isActive || !n) return false;
  // Only runs finished since the schedule was last resumed count: a retried step or a late event of a
  // failure from before an admin resumed it must not pause it again.
  const resumed = await db.auditEvent.findFirst({
    where: { ownerId: schedule.ownerId, scheduledReviewId: scheduleId, action: "schedule.resumed" },
    orderBy: { createdAt: "desc" },
    select: { createdAt: true },
  });
  const last = await db.reviewRun.findMany({
    where: {
      scheduledReviewId: scheduleId, status: { in: ["COMPLETED", "FAILED"] },
      ...(resumed ? { completedAt: { gt: resumed.createdAt } } : {}),
    },
    orderBy: [{ completedAt: { sort: "desc", nulls: "last" } }, { id: "desc" }],
    take: n,
    select: { status: true },
  });
  if (last.length < n || last.some((r) => r.status !== "FAILED")) return false;
  const note = `Auto-paused after ${n} consecutive failed run${n === 1 ? "" : "s"}`;
  return db.$transaction(async (tx) => {
    const { count } = await tx.scheduledReview.updateMany({
      where: { id: scheduleId, isActive: true },
      data: { isActive: false, nextRunAt: null, timingChangedAt: now, pausedAt: now, pausedBy: SYSTEM_ACTOR, pauseNote: note, resumeAt: null },
    });
    if (count)
      await recordAudit(tx, {
        ownerId: schedule.ownerId, actorId: SYSTEM_ACTOR, action: "schedule.auto_paused", targetType: "schedule", targetId: scheduleId, scheduleId,
        summary: `${note}: "${schedule.name}"`, details: { consecutive_failures: n },
      });
    return count > 0;
  });
}

import "server-only";
import { recordAudit, SYSTEM_ACTOR } from "@/lib/audit/record";
import { systemDb } from "@/lib/db";
import { nextRunAfter } from "@/lib/schedules/time";

// The resume cron's work: paused schedules whose resume_at has come are re-activated, each with an
// audit row in the same transaction. Compare-and-set on (isActive false, resumeAt as read), so two
// concurrent copies of the step resume a schedule once.

const BATCH = 200;

export async function resumeDueSchedules(now = new Date()): Promise<{ resumed: number }> {
  const due = await systemDb().scheduledReview.findMany({
    where: { isActive: false, resumeAt: { lte: now } },
    select: { id: true, ownerId: true, name: true, cron: true, timezone: true, resumeAt: true },
    orderBy: { resumeAt: "asc" },
    take: BATCH,
  });
  let resumed = 0;
  for (const s of due) {
    const done = await systemDb().$transaction(async (tx) => {
      const { count } = await tx.scheduledReview.updateMany({
        where: { id: s.id, isActive: false, resumeAt: s.resumeAt },
        data: {
          isActive: true, nextRunAt: nextRunAfter(s.cron, s.timezone, now), timingChangedAt: now,
          pausedAt: null, pausedBy: null, pauseNote: null, resumeAt: null,
        },
      });
      if (count)
        await recordAudit(tx, {
          ownerId: s.ownerId, actorId: SYSTEM_ACTOR, action: "schedule.resumed", targetType: "schedule", targetId: s.id, scheduleId: s.id,
          summary: `Resumed "${s.name}" as planned (resume time ${s.resumeAt!.toISOString()})`,
        });
      return count;
    });
    resumed += done;
  }
  return { resumed };
}

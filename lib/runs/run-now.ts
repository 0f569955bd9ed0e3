import { recordAudit } from "@/lib/audit/record";
import { forTenant, SHORT_TX } from "@/lib/db";
import { AppError, notFound } from "@/lib/errors";
import { logEvent } from "@/lib/log";
import { handOverRuns } from "@/lib/runs/hand-over";
import type { RunDto } from "@/lib/runs/schemas";
import { serializeRun } from "@/lib/runs/serialize";

/**
 * Queues a manual run (inactive schedules too) and hands its event to Inngest. One active run per
 * schedule unless its overlap policy is allow: a second request while one is queued or running gets
 * 409 with that run's id. If the
 * event cannot be handed over in time the run is failed at once, never left queued.
 */
export async function runNow(ownerId: string, scheduleId: string, actorId: string, now = new Date()): Promise<RunDto> {
  const run = await forTenant(ownerId).$transaction(async (tx) => {
    // Row lock (raw SQL is not scoped: the owner filter is explicit): concurrent run-now requests for one schedule queue up here instead of both inserting.
    const locked = await tx.$queryRaw<{ id: string; name: string; overlapPolicy: string }[]>`
      SELECT id, name, "overlapPolicy"::text AS "overlapPolicy" FROM "ScheduledReview" WHERE id = ${scheduleId} AND "ownerId" = ${ownerId} FOR UPDATE`;
    if (locked.length === 0) throw notFound("Scheduled review");
    // Overlap policy allow: a manual run starts beside an active one; skip and buffer_one refuse (409).
    const active = locked[0]!.overlapPolicy === "ALLOW" ? null : await tx.reviewRun.findFirst({
      where: { scheduledReviewId: scheduleId, status: { in: ["QUEUED", "RUNNING"] } },
      orderBy: { queuedAt: "desc" },
      select: { id: true },
    });
    if (active) {
      throw new AppError("run_in_progress", "A run of this schedule is already queued or running", { run_id: active.id });
    }
    const created = await tx.reviewRun.create({
      data: { scheduledReviewId: scheduleId, ownerId, trigger: "MANUAL", status: "QUEUED", scheduledFor: now, queuedAt: now },
      include: { scheduledReview: { select: { name: true } } },
    });
    await recordAudit(tx, {
      ownerId, actorId, action: "run.run_now", targetType: "run", targetId: created.id, scheduleId, summary: `Ran "${locked[0]!.name}" now`,
    });
    return created;
  }, SHORT_TX);

  logEvent("run.queued", { run_id: run.id, schedule_id: scheduleId, owner_id: ownerId, trigger: "manual", scheduled_for: now.toISOString() });
  await handOverRuns([run], (r) => r.id, "run-now");
  return serializeRun(run);
}

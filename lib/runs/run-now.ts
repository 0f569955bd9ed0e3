import { reviewRunRequested } from "@/inngest/events";
import { forTenant } from "@/lib/db";
import { AppError, notFound } from "@/lib/errors";
import { InngestSendError, sendEvents } from "@/lib/inngest-send";
import { log } from "@/lib/log";
import { failRun } from "@/lib/runs/lifecycle";
import type { RunDto } from "@/lib/runs/schemas";
import { serializeRun } from "@/lib/runs/serialize";

/**
 * Queues a manual run (inactive schedules too) and hands its event to Inngest. One active run per
 * schedule: a second request while one is queued or running gets 409 with that run's id. If the
 * event cannot be handed over in time the run is failed at once, never left queued.
 */
export async function runNow(ownerId: string, scheduleId: string, now = new Date()): Promise<RunDto> {
  const run = await forTenant(ownerId).$transaction(async (tx) => {
    // Row lock (raw SQL is not scoped: the owner filter is explicit): concurrent run-now requests for one schedule queue up here instead of both inserting.
    const locked = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM "ScheduledReview" WHERE id = ${scheduleId} AND "ownerId" = ${ownerId} FOR UPDATE`;
    if (locked.length === 0) throw notFound("Scheduled review");
    const active = await tx.reviewRun.findFirst({
      where: { scheduledReviewId: scheduleId, status: { in: ["QUEUED", "RUNNING"] } },
      orderBy: { queuedAt: "desc" },
      select: { id: true },
    });
    if (active) {
      throw new AppError("run_in_progress", "A run of this schedule is already queued or running", { run_id: active.id });
    }
    return tx.reviewRun.create({
      data: { scheduledReviewId: scheduleId, ownerId, trigger: "MANUAL", status: "QUEUED", scheduledFor: now, queuedAt: now },
      include: { scheduledReview: { select: { name: true } } },
    });
  });

  try {
    await sendEvents(reviewRunRequested.create({ runId: run.id, scheduleId, ownerId }, { id: run.id }));
  } catch (err) {
    const unreachable = err instanceof InngestSendError;
    await failRun({
      runId: run.id,
      errorCode: unreachable ? err.code : "internal",
      errorMessage: err instanceof Error ? err.message : String(err),
    });
    if (!unreachable) throw err;
    log.warn({ err, runId: run.id }, "run-now: Inngest unreachable, run marked failed");
    throw new AppError("executor_unreachable", "The background executor (Inngest) could not be reached, so the run was marked failed. Try again shortly.", { run_id: run.id });
  }
  return serializeRun(run);
}

import { recordAudit } from "@/lib/audit/record";
import { forTenant, SHORT_TX, type Prisma } from "@/lib/db";
import { AppError, notFound } from "@/lib/errors";
import { handOverRuns } from "@/lib/runs/hand-over";
import { MAX_BULK_REPLAY, type BulkReplayResult } from "@/lib/runs/replay-schemas";
import type { RunDto } from "@/lib/runs/schemas";
import { serializeRun } from "@/lib/runs/serialize";

// Replay (DESIGN flow 10): a failed run is re-run as itself, the same row and slot, with trigger
// REPLAY. The row goes back to QUEUED and a new review/run.requested event is sent under a new id
// (Inngest drops a reused id for 24 h); the new Inngest run takes the queued row in markRunning.
// Deliveries already sent by an earlier execution are not sent again (lib/delivery/deliver.ts).

export const replayEventId = (runId: string, at: Date) => `${runId}:replay:${at.getTime()}`;

/** What a failed row becomes when it is replayed: queued now, last outcome cleared. */
const reopened = (now: Date) => ({
  status: "QUEUED" as const, trigger: "REPLAY" as const, queuedAt: now, startedAt: null, completedAt: null,
  durationMs: null, errorCode: null, errorMessage: null, retryCount: 0,
});
const withRelations = { scheduledReview: { select: { name: true } }, deliveries: true } satisfies Prisma.ReviewRunInclude;

/** POST /api/runs/{id}/replay: another tenant's id answers 404; only a FAILED run can be replayed (409). */
export async function replayRun(ownerId: string, runId: string, actorId: string, now = new Date()): Promise<RunDto> {
  const db = forTenant(ownerId);
  const run = await db.reviewRun.findUnique({ where: { id: runId }, select: { status: true, scheduledReviewId: true, scheduledFor: true } });
  if (!run) throw notFound("Run");
  // Compare-and-set: of two replays of one run (double click, two tabs), one re-queues it (and records it).
  const count = await db.$transaction(async (tx) => {
    const moved = await tx.reviewRun.updateMany({ where: { id: runId, status: "FAILED" }, data: reopened(now) });
    if (moved.count)
      await recordAudit(tx, {
        ownerId, actorId, action: "run.replayed", targetType: "run", targetId: runId, scheduleId: run.scheduledReviewId,
        summary: `Replayed the failed run of ${run.scheduledFor.toISOString()}`,
      });
    return moved.count;
  }, SHORT_TX);
  if (count === 0) {
    const status = run.status.toLowerCase();
    throw new AppError("run_not_failed", `Only a failed run can be replayed; this run is ${status}`, { status });
  }
  const queued = await db.reviewRun.findUniqueOrThrow({ where: { id: runId }, include: withRelations });
  await handOverRuns([queued], (r) => replayEventId(r.id, now), "replay");
  return serializeRun(queued);
}

/** POST /api/scheduled-reviews/{id}/replay-failed: each failed run with its slot in [from, to) re-run once. */
export async function replayFailedRuns(
  ownerId: string, scheduleId: string, range: { from: Date; to: Date }, actorId: string, now = new Date(),
): Promise<BulkReplayResult> {
  const db = forTenant(ownerId);
  const schedule = await db.scheduledReview.findUnique({ where: { id: scheduleId }, select: { id: true } });
  if (!schedule) throw notFound("Scheduled review");
  const where = { scheduledReviewId: scheduleId, status: "FAILED" as const, scheduledFor: { gte: range.from, lt: range.to } };
  const picked = await db.reviewRun.findMany({ where, orderBy: { scheduledFor: "asc" }, take: MAX_BULK_REPLAY, select: { id: true } });
  // Only rows still FAILED move: a concurrent bulk replay of the same range re-queues each run once.
  const moved = await db.$transaction(async (tx) => {
    const rows = await tx.reviewRun.updateManyAndReturn({ where: { ...where, id: { in: picked.map((r) => r.id) } }, data: reopened(now), select: { id: true } });
    if (rows.length)
      await recordAudit(tx, {
        ownerId, actorId, action: "runs.replayed_failed", targetType: "schedule", targetId: scheduleId, scheduleId,
        summary: `Replayed ${rows.length} failed run${rows.length === 1 ? "" : "s"} with slots from ${range.from.toISOString()} to ${range.to.toISOString()}`,
        details: { run_ids: rows.map((r) => r.id) },
      });
    return rows;
  }, SHORT_TX);
  const runs = await db.reviewRun.findMany({ where: { id: { in: moved.map((r) => r.id) } }, include: withRelations, orderBy: { scheduledFor: "asc" } });
  await handOverRuns(runs, (r) => replayEventId(r.id, now), "bulk replay");
  const remaining = await db.reviewRun.count({ where });
  return { replayed: runs.length, remaining, runs: runs.map(serializeRun) };
}

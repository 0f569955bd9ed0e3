import "server-only";
import type { PoolClient } from "pg";
import { systemDb } from "@/lib/db";
import { logEvent } from "@/lib/log";

// Overlap policy BUFFER_ONE: a slot due while the schedule's previous run is still queued or running
// is recorded as waiting (status SKIPPED, error code "buffered"), and only the newest waits: a newer
// one supersedes it (it becomes a plain overlap skip). When no run of the schedule is active any more,
// the dispatcher's tick releases the waiting slot (QUEUED at the tick's instant, so the tick's send
// step hands it to Inngest). Both are compare-and-set on the row's status and code.

export const BUFFERED = "buffered";
export const bufferedMessage = (blockedBy: string) => `Waiting: runs when the previous run (${blockedBy}) ends (overlap policy buffer_one)`;

/** The other waiting slots of the schedules that just buffered `keep` become plain overlap skips. */
export async function supersedeBuffered(sql: PoolClient, keep: string[]): Promise<void> {
  if (keep.length === 0) return;
  await sql.query(
    `UPDATE "ReviewRun" r SET "errorCode" = 'overlap', "errorMessage" = 'Skipped: a newer slot took the one waiting place (overlap policy buffer_one)', "updatedAt" = now()
     FROM (SELECT "scheduledReviewId" FROM "ReviewRun" WHERE id = ANY($1::text[])) k
     WHERE r."scheduledReviewId" = k."scheduledReviewId" AND r.status = 'SKIPPED' AND r."errorCode" = $2 AND NOT (r.id = ANY($1::text[]))`,
    [keep, BUFFERED],
  );
}

const DROPPED = "Skipped: the schedule was paused or its overlap policy changed while this slot waited (overlap policy buffer_one)";

/**
 * Releases each schedule's waiting slot once nothing of that schedule is queued or running, only while
 * the schedule is active and still BUFFER_ONE; a waiting slot of a schedule paused or switched to
 * another policy becomes a plain overlap skip. The schedule rows are locked first (the lock run-now
 * takes), so a run-now committed meanwhile is seen by the release's NOT EXISTS (a later statement,
 * a later snapshot) and the two never both start a run. SKIP LOCKED: a schedule busy elsewhere is
 * released by the next tick.
 */
export async function releaseBufferedRuns(now: Date): Promise<{ released: number }> {
  const at = now.toISOString();
  const rows = await systemDb().$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string; release: boolean }[]>`
      SELECT s.id, (s."isActive" AND s."overlapPolicy" = 'BUFFER_ONE') AS release FROM "ScheduledReview" s
      WHERE s.id IN (SELECT "scheduledReviewId" FROM "ReviewRun" WHERE status = 'SKIPPED' AND "errorCode" = ${BUFFERED})
      FOR UPDATE OF s SKIP LOCKED`;
    const drop = locked.filter((l) => !l.release).map((l) => l.id);
    const release = locked.filter((l) => l.release).map((l) => l.id);
    if (drop.length > 0)
      await tx.$executeRaw`
        UPDATE "ReviewRun" SET "errorCode" = 'overlap', "errorMessage" = ${DROPPED}, "updatedAt" = ${at}::timestamp(3)
        WHERE "scheduledReviewId" = ANY(${drop}::text[]) AND status = 'SKIPPED' AND "errorCode" = ${BUFFERED}`;
    if (release.length === 0) return [];
    return tx.$queryRaw<{ id: string; scheduledReviewId: string; ownerId: string }[]>`
      UPDATE "ReviewRun" r SET status = 'QUEUED', "errorCode" = NULL, "errorMessage" = NULL, "completedAt" = NULL,
        "queuedAt" = ${at}::timestamp(3), "updatedAt" = ${at}::timestamp(3)
      WHERE r."scheduledReviewId" = ANY(${release}::text[]) AND r.status = 'SKIPPED' AND r."errorCode" = ${BUFFERED}
        AND NOT EXISTS (SELECT 1 FROM "ReviewRun" a WHERE a."scheduledReviewId" = r."scheduledReviewId" AND a.status IN ('QUEUED', 'RUNNING'))
      RETURNING r.id, r."scheduledReviewId", r."ownerId"`;
  });
  for (const r of rows) logEvent("run.queued", { run_id: r.id, schedule_id: r.scheduledReviewId, owner_id: r.ownerId, trigger: "scheduled", released_from: BUFFERED });
  return { released: rows.length };
}

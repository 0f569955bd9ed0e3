import { reviewRunRequested } from "@/inngest/events";
import { Prisma, systemDb } from "@/lib/db";
import { sendEvents } from "@/lib/inngest-send";

// Hands QUEUED scheduled runs to Inngest as review/run.requested, page by page. The dispatcher
// sends everything queued since its tick's instant (or since a dead tick's start, whose events may
// never have been sent); the event id is the run id, so sending a run twice is a no-op at Inngest.

/** Events per send request: Inngest's Event API takes up to 5,000 events in one request. */
export const SEND_BATCH = 5_000;

export type SendCursor = { queuedAt: string; id: string };
export type SendResult = { sent: number; cursor: SendCursor | null };

type Queued = { id: string; scheduledReviewId: string; ownerId: string; queuedAt: Date };

export async function sendQueuedRuns({ since, after = null, limit = SEND_BATCH }: { since: Date; after?: SendCursor | null; limit?: number }): Promise<SendResult> {
  // Keyset on the (status, queuedAt) index; runs that start meanwhile leave the set without moving the cursor.
  const cursor = after ? Prisma.sql`AND ("queuedAt", id) > (${after.queuedAt}::timestamp(3), ${after.id})` : Prisma.empty;
  const runs = await systemDb().$queryRaw<Queued[]>`
    SELECT id, "scheduledReviewId", "ownerId", "queuedAt" FROM "ReviewRun"
    WHERE status = 'QUEUED' AND trigger = 'SCHEDULED' AND "queuedAt" >= ${since.toISOString()}::timestamp(3) ${cursor}
    ORDER BY "queuedAt", id
    LIMIT ${limit}`;
  if (runs.length > 0)
    await sendEvents(runs.map((r) => reviewRunRequested.create({ runId: r.id, scheduleId: r.scheduledReviewId, ownerId: r.ownerId }, { id: r.id })));
  const last = runs.at(-1);
  return { sent: runs.length, cursor: runs.length === limit && last ? { queuedAt: last.queuedAt.toISOString(), id: last.id } : null };
}

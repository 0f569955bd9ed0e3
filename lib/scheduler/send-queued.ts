import { reviewRunRequested } from "@/inngest/events";
import { Prisma, systemDb } from "@/lib/db";
import { sendEvents } from "@/lib/inngest-send";

// Hands QUEUED scheduled runs to Inngest as review/run.requested, page by page. The dispatcher
// sends everything queued since its tick's instant (or since a dead tick's start, whose events may
// never have been sent); the event id is the run id, so sending a run twice is a no-op at Inngest.

/** Queued runs read per page (one send step). */
export const SEND_BATCH = 5_000;
/** Per send request: Inngest's Event API takes at most 5,000 events and 512 KB in one request. */
export const SEND_MAX_EVENTS = 5_000;
export const SEND_MAX_BYTES = 450_000;

/** Splits events into requests of at most maxEvents events and maxBytes of JSON each (an event larger than maxBytes goes alone). */
export function chunkEvents<T>(events: T[], maxBytes = SEND_MAX_BYTES, maxEvents = SEND_MAX_EVENTS): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 2; // "[" and "]"
  for (const e of events) {
    const size = Buffer.byteLength(JSON.stringify(e)) + 1; // and its comma
    if (current.length > 0 && (current.length >= maxEvents || bytes + size > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 2;
    }
    current.push(e);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

export type SendCursor = { queuedAt: string; id: string };
export type SendResult = { sent: number; cursor: SendCursor | null };

type Queued = { id: string; scheduledReviewId: string; ownerId: string; queuedAt: Date };

/**
 * Keyset on the (status, queuedAt, id) index; runs that start meanwhile leave the set without moving the
 * cursor. Its plan is held in tests/integration/list-plans.test.ts.
 */
export function queuedRunsSql(since: Date, after: SendCursor | null, limit: number) {
  const cursor = after ? Prisma.sql`AND ("queuedAt", id) > (${after.queuedAt}::timestamp(3), ${after.id})` : Prisma.empty;
  return Prisma.sql`
    SELECT id, "scheduledReviewId", "ownerId", "queuedAt" FROM "ReviewRun"
    WHERE status = 'QUEUED' AND trigger = 'SCHEDULED' AND "queuedAt" >= ${since.toISOString()}::timestamp(3) ${cursor}
    ORDER BY "queuedAt", id
    LIMIT ${limit}`;
}

export async function sendQueuedRuns({ since, after = null, limit = SEND_BATCH }: { since: Date; after?: SendCursor | null; limit?: number }): Promise<SendResult> {
  const runs = await systemDb().$queryRaw<Queued[]>(queuedRunsSql(since, after, limit));
  const events = runs.map((r) => reviewRunRequested.create({ runId: r.id, scheduleId: r.scheduledReviewId, ownerId: r.ownerId }, { id: r.id }));
  // In order, one request at a time: a retried step resends from the start (event ids dedupe).
  for (const chunk of chunkEvents(events)) await sendEvents(chunk);
  const last = runs.at(-1);
  return { sent: runs.length, cursor: runs.length === limit && last ? { queuedAt: last.queuedAt.toISOString(), id: last.id } : null };
}

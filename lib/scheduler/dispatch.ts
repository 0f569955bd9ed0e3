import { createHash } from "node:crypto";
import { Prisma, systemDb } from "@/lib/db";
import { logEvent } from "@/lib/log";
import { BUFFERED, bufferedMessage, supersedeBuffered } from "./buffered";
import { decide, type ActiveRun, type Decision, type DueSchedule } from "./decide";
import { MAX_ERRORS_KEPT } from "./parallel";
import { emptyCounts, type TickCounts } from "./ticks";

// The dispatcher's database work, set-based: one transaction per batch of due schedules reads them
// (FOR UPDATE SKIP LOCKED: concurrent dispatchers take disjoint batches), reads their active runs in
// one query, decides each in memory (./decide.ts), inserts the batch's runs in one multi-row
// statement (ON CONFLICT on the (schedule, slot) unique index: one run per slot) and moves next_run_at
// in one statement, by compare-and-set on the value read. Its cost grows with the number of due
// schedules, not with the number of schedules. Events are sent afterwards (./send-queued.ts).

export const DISPATCH_BATCH_SIZE = 2_000;

export type BatchCursor = { nextRunAt: string; id: string };
export type DispatchDetails = { overlap: number; buffered: number; catch_up_skipped: number; raced: number; errors: { schedule_id: string; message: string }[] };
/** Small on purpose (it is a step's output): counts and where the next batch starts, never run ids. */
export type BatchResult = TickCounts & { details: DispatchDetails; cursor: BatchCursor | null };
export type BatchOptions = { now: Date; after?: BatchCursor | null; batchSize?: number };

/** Deterministic: every dispatcher names a slot's run the same, so a duplicate can only collide. */
export const scheduledRunId = (scheduleId: string, slot: Date) =>
  `c${createHash("sha256").update(`${scheduleId}|${slot.toISOString()}`).digest("hex").slice(0, 24)}`;

type Row = DueSchedule;
type Decided = { s: Row; d: Decision };

const emptyDetails = (): DispatchDetails => ({ overlap: 0, buffered: 0, catch_up_skipped: 0, raced: 0, errors: [] });

async function lockDue(tx: Prisma.TransactionClient, now: Date, after: BatchCursor | null, limit: number): Promise<Row[]> {
  const cursor = after ? Prisma.sql`AND ("nextRunAt", id) > (${after.nextRunAt}::timestamp(3), ${after.id})` : Prisma.empty;
  return tx.$queryRaw<Row[]>`
    SELECT id, "ownerId", cron, timezone, "nextRunAt", "catchUpPolicy"::text AS "catchUpPolicy", "catchUpWindowMinutes",
           "overlapPolicy"::text AS "overlapPolicy"
    FROM "ScheduledReview"
    WHERE "isActive" AND "nextRunAt" <= ${now.toISOString()}::timestamp(3) ${cursor}
    ORDER BY "nextRunAt", id
    LIMIT ${limit}
    FOR UPDATE SKIP LOCKED`;
}

async function activeRuns(tx: Prisma.TransactionClient, ids: string[]): Promise<Map<string, ActiveRun[]>> {
  const rows = await tx.$queryRaw<(ActiveRun & { scheduledReviewId: string })[]>`
    SELECT "scheduledReviewId", id, "scheduledFor" FROM "ReviewRun"
    WHERE "scheduledReviewId" = ANY(${ids}::text[]) AND status IN ('QUEUED', 'RUNNING')`;
  const map = new Map<string, ActiveRun[]>();
  for (const r of rows) map.set(r.scheduledReviewId, [...(map.get(r.scheduledReviewId) ?? []), r]);
  return map;
}

/** One multi-row INSERT of the batch's runs; returns the ids actually inserted (a slot already taken inserts nothing). */
async function insertRuns(tx: Prisma.TransactionClient, rows: Decided[], now: string): Promise<Set<string>> {
  const runs = rows.flatMap(({ s, d }) => (d.kind === "catch_up_skipped" ? [] : [{ s, d }]));
  if (runs.length === 0) return new Set();
  const col = <T>(f: (r: (typeof runs)[number]) => T) => runs.map(f);
  const inserted = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "ReviewRun" (id, "scheduledReviewId", "ownerId", trigger, "scheduledFor", status, "queuedAt", "missedSlots",
                             "completedAt", "errorCode", "errorMessage", "createdAt", "updatedAt")
    SELECT v.id, v.sid, v.oid, 'SCHEDULED'::"RunTrigger", v.slot, v.status::"RunStatus", ${now}::timestamp(3), v.missed,
           CASE WHEN v.status = 'SKIPPED' THEN ${now}::timestamp(3) END, v.code, v.message, ${now}::timestamp(3), ${now}::timestamp(3)
    FROM unnest(${col(({ s, d }) => scheduledRunId(s.id, "slot" in d ? d.slot : s.nextRunAt))}::text[],
                ${col(({ s }) => s.id)}::text[], ${col(({ s }) => s.ownerId)}::text[],
                ${col(({ d }) => ("slot" in d ? d.slot.toISOString() : ""))}::timestamp(3)[],
                ${col(({ d }) => (d.kind === "queue" ? "QUEUED" : "SKIPPED"))}::text[],
                ${col(({ d }) => d.missed)}::int[],
                ${col(({ d }) => (d.kind === "queue" ? null : d.kind === "buffer" ? BUFFERED : "overlap"))}::text[],
                ${col(({ d }) => (d.kind === "queue" ? null : d.kind === "buffer" ? bufferedMessage(d.blockedBy) : `Skipped: the previous run (${d.blockedBy}) was still queued or running`))}::text[])
         AS v(id, sid, oid, slot, status, missed, code, message)
    ON CONFLICT ("scheduledReviewId", "scheduledFor") DO NOTHING
    RETURNING id`;
  return new Set(inserted.map((r) => r.id));
}

/** One UPDATE moving next_run_at, only where it still holds the value read; returns the ids moved. */
async function advanceAll(tx: Prisma.TransactionClient, rows: Decided[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const moved = await tx.$queryRaw<{ id: string }[]>`
    UPDATE "ScheduledReview" s SET "nextRunAt" = v.next, "missedSlotCount" = s."missedSlotCount" + v.missed, "updatedAt" = now()
    FROM unnest(${rows.map(({ s }) => s.id)}::text[], ${rows.map(({ s }) => s.nextRunAt.toISOString())}::timestamp(3)[],
                ${rows.map(({ d }) => d.next?.toISOString() ?? null)}::timestamp(3)[], ${rows.map(({ d }) => d.missed)}::int[]) AS v(id, old, next, missed)
    WHERE s.id = v.id AND s."nextRunAt" = v.old
    RETURNING s.id`;
  return new Set(moved.map((r) => r.id));
}

function tally(result: BatchResult, rows: Decided[], inserted: Set<string>, moved: Set<string>) {
  for (const { s, d } of rows) {
    if (d.kind === "catch_up_skipped") {
      // Only the dispatcher that moved next_run_at counts the missed slots.
      if (!moved.has(s.id)) result.details.raced++;
      else {
        result.skipped++;
        result.missed += d.missed;
        result.details.catch_up_skipped++;
      }
      continue;
    }
    const runId = scheduledRunId(s.id, d.slot);
    // The slot already has a run (a repeated or concurrent dispatch): if still queued, the send step sends it again.
    if (!inserted.has(runId)) result.details.raced++;
    else if (d.kind === "overlap") {
      result.skipped++;
      result.missed += d.missed;
      result.details.overlap++;
    } else if (d.kind === "buffer") {
      result.missed += d.missed;
      result.details.buffered++;
    } else {
      result.dispatched++;
      result.missed += d.missed;
      logEvent("run.queued", { run_id: runId, schedule_id: s.id, owner_id: s.ownerId, trigger: "scheduled", scheduled_for: d.slot.toISOString(), missed_slots: d.missed });
    }
  }
}

/**
 * One batch of due schedules after `after`, in one transaction. A schedule whose cron or zone fails
 * is counted and keeps its next_run_at (retried next tick); the cursor moves past it, so the
 * batches of a tick always end.
 */
export async function dispatchBatch({ now, after = null, batchSize = DISPATCH_BATCH_SIZE }: BatchOptions): Promise<BatchResult> {
  return systemDb().$transaction(
    async (tx) => {
      const result: BatchResult = { ...emptyCounts(), details: emptyDetails(), cursor: null };
      const due = await lockDue(tx, now, after, batchSize);
      result.due = due.length;
      if (due.length === 0) return result;
      const active = await activeRuns(tx, due.map((s) => s.id));
      const decided: Decided[] = [];
      for (const s of due) {
        try {
          decided.push({ s, d: decide(s, now, active.get(s.id) ?? []) });
        } catch (err) {
          result.failed++;
          if (result.details.errors.length < MAX_ERRORS_KEPT)
            result.details.errors.push({ schedule_id: s.id, message: (err instanceof Error ? err.message : String(err)).slice(0, 500) });
        }
      }
      const inserted = await insertRuns(tx, decided, now.toISOString());
      await supersedeBuffered(tx, decided.flatMap(({ s, d }) => (d.kind === "buffer" && inserted.has(scheduledRunId(s.id, d.slot)) ? [scheduledRunId(s.id, d.slot)] : [])));
      const moved = await advanceAll(tx, decided);
      tally(result, decided, inserted, moved);
      const last = due.at(-1)!;
      if (due.length === batchSize) result.cursor = { nextRunAt: last.nextRunAt.toISOString(), id: last.id };
      return result;
    },
    { maxWait: 10_000, timeout: 60_000 },
  );
}

/** Adds one batch's counts to a running total (the tick's summary). */
export function addBatch(total: TickCounts & { details: DispatchDetails }, batch: BatchResult) {
  for (const k of ["due", "dispatched", "skipped", "missed", "failed"] as const) total[k] += batch[k];
  for (const k of ["overlap", "buffered", "catch_up_skipped", "raced"] as const) total.details[k] += batch.details[k];
  const room = MAX_ERRORS_KEPT - total.details.errors.length;
  total.details.errors.push(...batch.details.errors.slice(0, room));
}

/** Every batch due at `now`, in process (no events sent): tests, the bench, scripts. */
export async function dispatchDue({ now = new Date(), batchSize = DISPATCH_BATCH_SIZE }: { now?: Date; batchSize?: number } = {}) {
  const total = { ...emptyCounts(), details: emptyDetails() };
  let after: BatchCursor | null = null;
  do {
    const batch = await dispatchBatch({ now, after, batchSize });
    addBatch(total, batch);
    after = batch.cursor;
  } while (after);
  return total;
}

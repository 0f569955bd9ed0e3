import { createHash } from "node:crypto";
import type { PoolClient } from "pg";
import { bulkTransaction } from "@/lib/db";
import { logEvent } from "@/lib/log";
import { BUFFERED, bufferedMessage, supersedeBuffered } from "./buffered";
import { decide, slotTiming, type ActiveRun, type Decision, type DueSchedule, type SlotTiming } from "./decide";
import { MAX_ERRORS_KEPT } from "./parallel";
import { emptyCounts, type TickCounts } from "./ticks";

// The dispatcher's database work, set-based: one transaction per batch of due schedules reads them
// (FOR UPDATE SKIP LOCKED: concurrent dispatchers take disjoint batches), reads their active runs in
// one query, decides each in memory (./decide.ts), inserts the batch's runs in one multi-row
// statement (ON CONFLICT on the (schedule, slot) unique index: one run per slot) and moves next_run_at
// in one statement, by compare-and-set on the value read. Its cost grows with the number of due
// schedules, not with the number of schedules. Events are sent afterwards (./send-queued.ts).

export const DISPATCH_BATCH_SIZE = 5_000;

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

type Sql = PoolClient;

/** Schedules often share a cron, a zone and a due slot: their time math is done once per batch. */
function memoTiming(now: Date) {
  const memo = new Map<string, SlotTiming | Error>();
  return (s: Row): SlotTiming => {
    const key = `${s.cron}\u0000${s.timezone}\u0000${s.nextRunAt.getTime()}`;
    let t = memo.get(key);
    if (!t) {
      try {
        t = slotTiming(s, now);
      } catch (err) {
        t = err instanceof Error ? err : new Error(String(err));
      }
      memo.set(key, t);
    }
    if (t instanceof Error) throw t;
    return t;
  };
}

async function lockDue(sql: Sql, now: Date, after: BatchCursor | null, limit: number): Promise<Row[]> {
  const { rows } = await sql.query<Row>(
    `SELECT id, "ownerId", cron, timezone, "nextRunAt", "catchUpPolicy"::text AS "catchUpPolicy", "catchUpWindowMinutes",
            "overlapPolicy"::text AS "overlapPolicy"
     FROM "ScheduledReview"
     WHERE "isActive" AND "nextRunAt" <= $1::timestamp(3) AND ($2::timestamp(3) IS NULL OR ("nextRunAt", id) > ($2::timestamp(3), $3::text))
     ORDER BY "nextRunAt", id
     LIMIT $4
     FOR UPDATE SKIP LOCKED`,
    [now.toISOString(), after?.nextRunAt ?? null, after?.id ?? "", limit],
  );
  return rows;
}

async function activeRuns(sql: Sql, ids: string[]): Promise<Map<string, ActiveRun[]>> {
  const { rows } = await sql.query<ActiveRun & { scheduledReviewId: string }>(
    `SELECT "scheduledReviewId", id, "scheduledFor" FROM "ReviewRun"
     WHERE "scheduledReviewId" = ANY($1::text[]) AND status IN ('QUEUED', 'RUNNING')`,
    [ids],
  );
  const map = new Map<string, ActiveRun[]>();
  for (const r of rows) map.set(r.scheduledReviewId, [...(map.get(r.scheduledReviewId) ?? []), r]);
  return map;
}

/** One multi-row INSERT of the batch's runs; returns the ids actually inserted (a slot already taken inserts nothing). */
async function insertRuns(sql: Sql, rows: Decided[], now: Date): Promise<Set<string>> {
  const runs = rows.flatMap(({ s, d }) => (d.kind === "catch_up_skipped" ? [] : [{ s, d }]));
  if (runs.length === 0) return new Set();
  const col = <T>(f: (r: (typeof runs)[number]) => T) => runs.map(f);
  const { rows: inserted } = await sql.query<{ id: string }>(
    `INSERT INTO "ReviewRun" (id, "scheduledReviewId", "ownerId", trigger, "scheduledFor", status, "queuedAt", "missedSlots",
                              "completedAt", "errorCode", "errorMessage", "createdAt", "updatedAt")
     SELECT v.id, v.sid, v.oid, 'SCHEDULED', v.slot, v.status::"RunStatus", $1::timestamp(3), v.missed,
            CASE WHEN v.status = 'SKIPPED' THEN $1::timestamp(3) END, v.code, v.message, $1::timestamp(3), $1::timestamp(3)
     FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamp(3)[], $6::text[], $7::int[], $8::text[], $9::text[])
          AS v(id, sid, oid, slot, status, missed, code, message)
     ON CONFLICT ("scheduledReviewId", "scheduledFor") DO NOTHING
     RETURNING id`,
    [
      now.toISOString(),
      col(({ s, d }) => scheduledRunId(s.id, "slot" in d ? d.slot : s.nextRunAt)),
      col(({ s }) => s.id),
      col(({ s }) => s.ownerId),
      col(({ d }) => ("slot" in d ? d.slot.toISOString() : null)),
      col(({ d }) => (d.kind === "queue" ? "QUEUED" : "SKIPPED")),
      col(({ d }) => d.missed),
      col(({ d }) => (d.kind === "queue" ? null : d.kind === "buffer" ? BUFFERED : "overlap")),
      col(({ d }) =>
        d.kind === "queue" ? null : d.kind === "buffer" ? bufferedMessage(d.blockedBy) : `Skipped: the previous run (${d.blockedBy}) was still queued or running`,
      ),
    ],
  );
  return new Set(inserted.map((r) => r.id));
}

/** One UPDATE moving next_run_at, only where it still holds the value read; returns the ids moved. */
async function advanceAll(sql: Sql, rows: Decided[], now: Date): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const { rows: moved } = await sql.query<{ id: string }>(
    `UPDATE "ScheduledReview" s SET "nextRunAt" = v.next, "missedSlotCount" = s."missedSlotCount" + v.missed, "updatedAt" = $5::timestamp(3)
     FROM unnest($1::text[], $2::timestamp(3)[], $3::timestamp(3)[], $4::int[]) AS v(id, old, next, missed)
     WHERE s.id = v.id AND s."nextRunAt" = v.old
     RETURNING s.id`,
    [rows.map(({ s }) => s.id), rows.map(({ s }) => s.nextRunAt.toISOString()), rows.map(({ d }) => d.next?.toISOString() ?? null), rows.map(({ d }) => d.missed), now.toISOString()],
  );
  return new Set(moved.map((r) => r.id));
}

type QueuedLog = { run_id: string; schedule_id: string; owner_id: string; trigger: "scheduled"; scheduled_for: string; missed_slots: number };

/** Counts the batch; returns the run.queued lines, logged once the transaction has committed. */
function tally(result: BatchResult, rows: Decided[], inserted: Set<string>, moved: Set<string>): QueuedLog[] {
  const queued: QueuedLog[] = [];
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
      queued.push({ run_id: runId, schedule_id: s.id, owner_id: s.ownerId, trigger: "scheduled", scheduled_for: d.slot.toISOString(), missed_slots: d.missed });
    }
  }
  return queued;
}

/**
 * One batch of due schedules after `after`, in one transaction. A schedule whose cron or zone fails
 * is counted and keeps its next_run_at (retried next tick); the cursor moves past it, so the
 * batches of a tick always end.
 */
export async function dispatchBatch({ now, after = null, batchSize = DISPATCH_BATCH_SIZE }: BatchOptions): Promise<BatchResult> {
  const { result, queued } = await bulkTransaction(async (sql) => {
    const result: BatchResult = { ...emptyCounts(), details: emptyDetails(), cursor: null };
    const due = await lockDue(sql, now, after, batchSize);
    result.due = due.length;
    if (due.length === 0) return { result, queued: [] };
    const active = await activeRuns(sql, due.map((s) => s.id));
    const decided: Decided[] = [];
    const timingOf = memoTiming(now);
    for (const s of due) {
      try {
        decided.push({ s, d: decide(s, now, active.get(s.id) ?? [], timingOf(s)) });
      } catch (err) {
        result.failed++;
        if (result.details.errors.length < MAX_ERRORS_KEPT)
          result.details.errors.push({ schedule_id: s.id, message: (err instanceof Error ? err.message : String(err)).slice(0, 500) });
      }
    }
    const inserted = await insertRuns(sql, decided, now);
    await supersedeBuffered(sql, decided.flatMap(({ s, d }) => (d.kind === "buffer" && inserted.has(scheduledRunId(s.id, d.slot)) ? [scheduledRunId(s.id, d.slot)] : [])));
    const moved = await advanceAll(sql, decided, now);
    const queued = tally(result, decided, inserted, moved);
    const last = due.at(-1)!;
    if (due.length === batchSize) result.cursor = { nextRunAt: last.nextRunAt.toISOString(), id: last.id };
    return { result, queued };
  });
  // After COMMIT: a rolled-back batch queued nothing.
  for (const q of queued) logEvent("run.queued", q);
  return result;
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

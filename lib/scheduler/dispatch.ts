import { systemDb } from "@/lib/db";
import { logEvent } from "@/lib/log";
import type { CatchUpPolicy } from "@/lib/generated/prisma/client";
import { nextRunAfter, slotsBetween } from "@/lib/schedules/time";
import { MAX_ERRORS_KEPT, settleEach } from "./parallel";
import { emptyCounts, type TickCounts } from "./ticks";

// The dispatcher's database work: find due schedules, record one run per (schedule, slot), advance
// next_run_at. Safe to repeat and to run concurrently: the unique (schedule, slot) index admits one
// run per slot, and next_run_at only moves by compare-and-set on the value this dispatcher read.

export const DISPATCH_BATCH_SIZE = 100;
/** A slot dispatched later than this after its time counts as missed (the scheduler was down or lagging). */
export const CATCH_UP_GRACE_MS = 5 * 60_000;
const SLOT_CHUNK = 10_000;
const MAX_SLOTS_COUNTED = 1_000_000; // ~2 years of a per-minute schedule; beyond that the count is a floor

export type DispatchedRun = { runId: string; scheduleId: string; ownerId: string };
export type DispatchResult = TickCounts & {
  /** QUEUED runs whose review/run.requested event must be sent (event id = run id, so resending is harmless). */
  runs: DispatchedRun[];
  details: { overlap: number; catch_up_skipped: number; raced: number; resent: number; errors: { schedule_id: string; message: string }[] };
};
export type DispatchOptions = {
  now?: Date;
  batchSize?: number;
  /** After a failed attempt: also return runs still QUEUED since then, whose events may never have been sent. */
  recoverSince?: Date;
};

type DueSchedule = { id: string; ownerId: string; cron: string; timezone: string; nextRunAt: Date; catchUpPolicy: CatchUpPolicy };
type Outcome =
  | { kind: "queued"; run: DispatchedRun; missed: number }
  | { kind: "resent"; run: DispatchedRun }
  | { kind: "overlap"; missed: number }
  | { kind: "catch_up_skipped"; missed: number }
  | { kind: "raced" };

/** The latest slot due in [previous, now] and how many slots that window holds. */
export function dueSlots(cron: string, tz: string, previous: Date, now: Date): { latest: Date; count: number } {
  let count = 0;
  let latest: Date | undefined;
  let cursor = new Date(previous.getTime() - 1); // previous itself is a slot
  for (;;) {
    const chunk = slotsBetween(cron, tz, cursor, now, SLOT_CHUNK);
    count += chunk.length;
    latest = chunk.at(-1) ?? latest;
    if (chunk.length < SLOT_CHUNK || count >= MAX_SLOTS_COUNTED || !latest) break;
    cursor = latest;
  }
  // next_run_at off the cron (the cron was edited without recomputing it): that instant is the slot.
  return latest ? { latest, count } : { latest: previous, count: 1 };
}

async function advance(s: DueSchedule, now: Date): Promise<boolean> {
  const next = nextRunAfter(s.cron, s.timezone, now);
  const { count } = await systemDb().scheduledReview.updateMany({
    where: { id: s.id, nextRunAt: s.nextRunAt },
    data: { nextRunAt: next },
  });
  return count === 1;
}

async function dispatchSchedule(s: DueSchedule, now: Date): Promise<Outcome> {
  const { latest, count } = dueSlots(s.cron, s.timezone, s.nextRunAt, now);
  const late = now.getTime() - latest.getTime() > CATCH_UP_GRACE_MS;
  if (late && s.catchUpPolicy === "SKIP") {
    // Every due slot is missed; only the dispatcher that moves next_run_at counts them.
    return (await advance(s, now)) ? { kind: "catch_up_skipped", missed: count } : { kind: "raced" };
  }

  const collapsed = count - 1;
  const active = await systemDb().reviewRun.findFirst({
    where: { scheduledReviewId: s.id, status: { in: ["QUEUED", "RUNNING"] }, scheduledFor: { not: latest } },
    select: { id: true },
  });
  const [inserted] = await systemDb().reviewRun.createManyAndReturn({
    data: [
      {
        scheduledReviewId: s.id,
        ownerId: s.ownerId,
        trigger: "SCHEDULED",
        scheduledFor: latest,
        queuedAt: now,
        missedSlots: collapsed,
        ...(active
          ? {
              status: "SKIPPED" as const,
              completedAt: now,
              errorCode: "overlap",
              errorMessage: `Skipped: the previous run (${active.id}) was still queued or running`,
            }
          : { status: "QUEUED" as const }),
      },
    ],
    skipDuplicates: true,
    select: { id: true, status: true },
  });
  await advance(s, now);
  if (inserted) {
    if (inserted.status === "SKIPPED") return { kind: "overlap", missed: collapsed };
    logEvent("run.queued", { run_id: inserted.id, schedule_id: s.id, owner_id: s.ownerId, trigger: "scheduled", scheduled_for: latest.toISOString(), missed_slots: collapsed });
    return { kind: "queued", run: { runId: inserted.id, scheduleId: s.id, ownerId: s.ownerId }, missed: collapsed };
  }
  // The slot already has a run (a repeated or concurrent dispatch). Still queued: its event may
  // not have been sent, so send it again; the event id makes that a no-op if it was.
  const existing = await systemDb().reviewRun.findUnique({
    where: { scheduledReviewId_scheduledFor: { scheduledReviewId: s.id, scheduledFor: latest } },
    select: { id: true, status: true },
  });
  return existing?.status === "QUEUED"
    ? { kind: "resent", run: { runId: existing.id, scheduleId: s.id, ownerId: s.ownerId } }
    : { kind: "raced" };
}

function record(result: DispatchResult, outcome: Outcome) {
  switch (outcome.kind) {
    case "queued":
      result.dispatched++;
      result.missed += outcome.missed;
      result.runs.push(outcome.run);
      break;
    case "resent":
      result.details.resent++;
      result.runs.push(outcome.run);
      break;
    case "overlap":
    case "catch_up_skipped":
      result.skipped++;
      result.missed += outcome.missed;
      result.details[outcome.kind]++;
      break;
    case "raced":
      result.details.raced++;
      break;
  }
}

export async function dispatchDue({ now = new Date(), batchSize = DISPATCH_BATCH_SIZE, recoverSince }: DispatchOptions = {}): Promise<DispatchResult> {
  const result: DispatchResult = {
    ...emptyCounts(),
    runs: [],
    details: { overlap: 0, catch_up_skipped: 0, raced: 0, resent: 0, errors: [] },
  };
  let after: { nextRunAt: Date; id: string } | null = null;
  for (;;) {
    // Keyset paging on the (isActive, nextRunAt) index; a schedule that fails keeps its next_run_at
    // and is retried next tick, but the cursor still moves past it, so this loop always ends.
    const batch: DueSchedule[] = (await systemDb().scheduledReview.findMany({
      where: {
        isActive: true,
        nextRunAt: { lte: now },
        ...(after ? { OR: [{ nextRunAt: { gt: after.nextRunAt } }, { nextRunAt: after.nextRunAt, id: { gt: after.id } }] } : {}),
      },
      orderBy: [{ nextRunAt: "asc" }, { id: "asc" }],
      take: batchSize,
      select: { id: true, ownerId: true, cron: true, timezone: true, nextRunAt: true, catchUpPolicy: true },
    })).flatMap((s) => (s.nextRunAt ? [{ ...s, nextRunAt: s.nextRunAt }] : []));
    result.due += batch.length;
    const pass = await settleEach(batch, (s) => dispatchSchedule(s, now), (outcome) => record(result, outcome));
    result.failed += pass.failed;
    const room = MAX_ERRORS_KEPT - result.details.errors.length;
    result.details.errors.push(...pass.errors.slice(0, room).map((e) => ({ schedule_id: e.id, message: e.message })));
    const last = batch.at(-1);
    if (batch.length < batchSize || !last) break;
    after = { nextRunAt: last.nextRunAt, id: last.id };
  }
  if (recoverSince) await addUnsentRuns(result, recoverSince);
  return result;
}

async function addUnsentRuns(result: DispatchResult, since: Date) {
  const known = new Set(result.runs.map((r) => r.runId));
  const queued = await systemDb().reviewRun.findMany({
    where: { status: "QUEUED", trigger: "SCHEDULED", queuedAt: { gte: since } },
    select: { id: true, scheduledReviewId: true, ownerId: true },
    orderBy: { queuedAt: "asc" },
    take: 5_000,
  });
  for (const r of queued) {
    if (known.has(r.id)) continue;
    result.details.resent++;
    result.runs.push({ runId: r.id, scheduleId: r.scheduledReviewId, ownerId: r.ownerId });
  }
}

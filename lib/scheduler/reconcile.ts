import { systemDb, type Prisma } from "@/lib/db";
import { failRun, repairEventId, type FailedRun } from "@/lib/runs/lifecycle";
import { settleEach } from "./parallel";

// The reconciler's database work: find runs stuck QUEUED or RUNNING and settle each one, either by
// claiming a repair (the caller re-sends its event) or by failing it with a clear reason. Every
// write is a compare-and-set on what was read, so a run that moves on meanwhile is left alone.

/**
 * A run still queued after this is repaired: its review/run.requested event is sent again. Repair n
 * is due at n times this (10, 20 minutes), so overlapping passes cannot spend the budget at once.
 */
export const QUEUED_REPAIR_AFTER_MS = 10 * 60_000;
/** A run still queued after this, with its repairs used up, is failed (stuck_queued). */
export const QUEUED_FAIL_AFTER_MS = 30 * 60_000;
/** A run running this long since it started is failed (timed_out). */
export const RUNNING_TIMEOUT_MS = 30 * 60_000;
export const MAX_REPAIRS = 2;
/** Per status and tick; the oldest go first and the rest wait for the next tick. */
export const RECONCILE_BATCH = 500;

export const TIMED_OUT_MESSAGE = "No progress for 30 minutes; the executor may have lost the run";

export type StuckRun = {
  id: string;
  scheduledReviewId: string;
  ownerId: string;
  status: "QUEUED" | "RUNNING";
  queuedAt: Date;
  startedAt: Date | null;
  repairCount: number;
};

export type RepairedRun = { runId: string; scheduleId: string; ownerId: string; eventId: string };

export type Settled =
  | { kind: "repaired"; run: RepairedRun }
  | { kind: "failed"; run: FailedRun }
  /** queued, but neither its next repair nor its failure is due yet */
  | { kind: "waiting" }
  /** the run moved on between read and write (started, completed, repaired by another tick) */
  | { kind: "raced" };

export type ReconcileResult = {
  examined: number;
  /** runs whose event must be re-sent with eventId */
  repaired: RepairedRun[];
  /** runs failed here: each gets a review/run.failed event */
  failed: FailedRun[];
  details: { stuck_queued: number; timed_out: number; waiting: number; raced: number; errors: { run_id: string; message: string }[] };
};

const ago = (now: Date, ms: number) => new Date(now.getTime() - ms);
const STUCK_SELECT = { id: true, scheduledReviewId: true, ownerId: true, queuedAt: true, startedAt: true, repairCount: true } as const;

/** Tenant-agnostic filters for stuck runs; also what the scheduler status counts per tenant. */
export function stuckRunFilters(now: Date) {
  const runningCutoff = ago(now, RUNNING_TIMEOUT_MS);
  return {
    queued: { status: "QUEUED" as const, queuedAt: { lt: ago(now, QUEUED_REPAIR_AFTER_MS) } },
    // queuedAt <= startedAt, so the queuedAt bound keeps this a range scan on (status, queuedAt);
    // a RUNNING row without startedAt counts from when it was queued.
    running: {
      status: "RUNNING" as const,
      queuedAt: { lt: runningCutoff },
      OR: [{ startedAt: { lt: runningCutoff } }, { startedAt: null }],
    },
  };
}

/** The oldest stuck runs: QUEUED past the repair limit and RUNNING past the timeout. */
export async function findStuckRuns(now: Date, limit = RECONCILE_BATCH): Promise<StuckRun[]> {
  const filters = stuckRunFilters(now);
  const oldest = (where: Prisma.ReviewRunWhereInput) => systemDb().reviewRun.findMany({ where, orderBy: { queuedAt: "asc" }, take: limit, select: STUCK_SELECT });
  const [queued, running] = await Promise.all([oldest(filters.queued), oldest(filters.running)]);
  return [...queued.map((r) => ({ ...r, status: "QUEUED" as const })), ...running.map((r) => ({ ...r, status: "RUNNING" as const }))];
}

const minutes = (ms: number) => Math.floor(ms / 60_000);

/** Settles one stuck run as read by findStuckRuns: repair, fail, or leave it (waiting, raced). */
export async function settleStuckRun(run: StuckRun, now: Date): Promise<Settled> {
  if (run.status === "RUNNING") {
    const failed = await failRun({
      runId: run.id,
      errorCode: "timed_out",
      errorMessage: TIMED_OUT_MESSAGE,
      now,
      // A replay that restarted the row has a new startedAt: that attempt is not stuck.
      expect: { status: "RUNNING", startedAt: run.startedAt },
    });
    return failed ? { kind: "failed", run: failed } : { kind: "raced" };
  }

  const queuedFor = now.getTime() - run.queuedAt.getTime();
  const repair = run.repairCount + 1;
  if (repair <= MAX_REPAIRS) {
    if (queuedFor < repair * QUEUED_REPAIR_AFTER_MS) return { kind: "waiting" };
    // Claims repair number n exactly once, however many reconcilers read the same row.
    const { count } = await systemDb().reviewRun.updateMany({
      where: { id: run.id, status: "QUEUED", repairCount: run.repairCount },
      data: { repairCount: repair },
    });
    if (count === 0) return { kind: "raced" };
    return { kind: "repaired", run: { runId: run.id, scheduleId: run.scheduledReviewId, ownerId: run.ownerId, eventId: repairEventId(run.id, repair) } };
  }

  if (queuedFor < QUEUED_FAIL_AFTER_MS) return { kind: "waiting" };
  const failed = await failRun({
    runId: run.id,
    errorCode: "stuck_queued",
    errorMessage: `Never started: queued for ${minutes(queuedFor)} minutes and re-sent to the executor ${run.repairCount} times without being picked up`,
    now,
    expect: { status: "QUEUED" },
  });
  return failed ? { kind: "failed", run: failed } : { kind: "raced" };
}

function record(result: ReconcileResult, s: Settled, run: StuckRun) {
  switch (s.kind) {
    case "repaired":
      result.repaired.push(s.run);
      break;
    case "failed":
      result.failed.push(s.run);
      result.details[run.status === "RUNNING" ? "timed_out" : "stuck_queued"]++;
      break;
    case "waiting":
    case "raced":
      result.details[s.kind]++;
      break;
  }
}

/** One reconcile pass at `now`. A run that cannot be settled is reported and retried next pass. */
export async function reconcileRuns({ now = new Date(), limit = RECONCILE_BATCH }: { now?: Date; limit?: number } = {}): Promise<ReconcileResult> {
  const result: ReconcileResult = {
    examined: 0,
    repaired: [],
    failed: [],
    details: { stuck_queued: 0, timed_out: 0, waiting: 0, raced: 0, errors: [] },
  };
  const stuck = await findStuckRuns(now, limit);
  result.examined = stuck.length;
  const { errors } = await settleEach(stuck, (r) => settleStuckRun(r, now), (settled, run) => record(result, settled, run));
  result.details.errors = errors.map((e) => ({ run_id: e.id, message: e.message }));
  return result;
}

import { NonRetriableError } from "inngest";
import { reviewRunFailed } from "@/inngest/events";
import { systemDb, Prisma } from "@/lib/db";
import { RunGoneError } from "@/lib/errors";
import { logEvent } from "@/lib/log";
import type { DeliveryChannel } from "@/lib/generated/prisma/client";

// State changes of one ReviewRun as the run-review function moves it along:
// QUEUED -> RUNNING -> COMPLETED, or -> FAILED (onFailure, or run-now when Inngest is unreachable).

const ACTIVE = ["QUEUED", "RUNNING"] as const;
const MAX_ERROR_MESSAGE = 2000;

/** The reconciler re-sends a stuck run's event under a new id (Inngest drops a reused id for 24 h). */
export const repairEventId = (runId: string, repair: number) => `${runId}:repair:${repair}`;

export type RunStart =
  | { proceed: true; runId: string; scheduleId: string; ownerId: string; channels: DeliveryChannel[] }
  | { proceed: false; runId: string; reason: "gone" | "skipped" | "already_completed" | "already_failed" | "duplicate_event" };

/**
 * First step of a review. Who may move the row to RUNNING:
 * - the Inngest run that owns it (a step retry keeps startedAt);
 * - any run while the row is still QUEUED (the first to arrive wins, by compare-and-set);
 * - a dashboard replay: a new Inngest run for the event that started the row, once that row is no
 *   longer RUNNING. It restarts the SAME row: new startedAt, previous error cleared.
 * Everything else is a duplicate copy (a late original after run-now or the reconciler failed the
 * run, a repair copy, a replay racing the live run) and must not run the review or deliver again.
 * Inngest may execute this step twice, concurrently: both copies of the owning run proceed, and a
 * finished row (completed or failed) never reopens for the run that finished it.
 */
export async function markRunning(args: { runId: string; inngestRunId: string; eventId?: string; attempt: number; now?: Date }): Promise<RunStart> {
  const { runId, inngestRunId, attempt, now = new Date() } = args;
  const run = await systemDb().reviewRun.findUnique({
    where: { id: runId },
    select: { status: true, inngestRunId: true, inngestEventId: true, startedAt: true, retryCount: true, scheduledReviewId: true, ownerId: true, scheduledReview: { select: { deliveryChannels: true } } },
  });
  if (!run) return { proceed: false, runId, reason: "gone" };
  if (run.status === "SKIPPED") return { proceed: false, runId, reason: "skipped" };
  const sameRun = run.inngestRunId === inngestRunId;
  const proceed: RunStart = { proceed: true, runId, scheduleId: run.scheduledReviewId, ownerId: run.ownerId, channels: run.scheduledReview.deliveryChannels };
  if (sameRun && run.status === "COMPLETED") return { proceed: false, runId, reason: "already_completed" };
  if (sameRun && run.status === "FAILED") return { proceed: false, runId, reason: "already_failed" };
  const replay = !!args.eventId && args.eventId === run.inngestEventId && run.status !== "RUNNING";
  if (!sameRun && run.status !== "QUEUED" && !replay) return { proceed: false, runId, reason: "duplicate_event" };

  // Compare-and-set on what was read: of two copies starting together, only one moves the row.
  const { count } = await systemDb().reviewRun.updateMany({
    where: { id: runId, status: run.status, inngestRunId: run.inngestRunId },
    data: {
      status: "RUNNING",
      inngestRunId,
      ...(args.eventId ? { inngestEventId: args.eventId } : {}),
      retryCount: sameRun ? Math.max(run.retryCount, attempt) : attempt,
      ...(sameRun && run.startedAt ? {} : { startedAt: now }),
      ...(sameRun ? {} : { completedAt: null, durationMs: null, errorCode: null, errorMessage: null }),
    },
  });
  if (count === 0) {
    // Lost the compare-and-set: to a concurrent copy of this very step (then the run is ours and
    // RUNNING), or to another Inngest run.
    const current = await systemDb().reviewRun.findUnique({ where: { id: runId }, select: { status: true, inngestRunId: true } });
    return current?.status === "RUNNING" && current.inngestRunId === inngestRunId ? proceed : { proceed: false, runId, reason: "duplicate_event" };
  }
  if (run.status !== "RUNNING") logEvent("run.running", { run_id: runId, schedule_id: run.scheduledReviewId, owner_id: run.ownerId, attempt, inngest_run_id: inngestRunId, from: run.status });
  return proceed;
}

/** retry_count is the highest attempt any step of the run needed (0 = no retry). */
export async function noteAttempt(runId: string, attempt: number): Promise<void> {
  if (attempt <= 0) return;
  await systemDb().reviewRun.updateMany({ where: { id: runId, retryCount: { lt: attempt } }, data: { retryCount: attempt } });
}

export type RunMetrics = { analysisId: string; dealsAnalyzed: number; healthScore: number; issuesFound: number; highRiskDeals: number };

export async function recordMetrics(args: { runId: string; metrics: RunMetrics; attempt?: number }): Promise<RunMetrics> {
  const { runId, metrics } = args;
  await noteAttempt(runId, args.attempt ?? 0);
  // A completed row gets the same values again (a duplicate of this step); a failed one stays as it is.
  const { count } = await systemDb().reviewRun.updateMany({
    where: { id: runId, status: { in: ["RUNNING", "COMPLETED"] } },
    data: {
      analysisId: metrics.analysisId,
      dealsAnalyzed: metrics.dealsAnalyzed,
      healthScore: metrics.healthScore,
      issuesFound: metrics.issuesFound,
      highRiskDeals: metrics.highRiskDeals,
    },
  });
  if (count === 0) throw await finishedOrGone(runId);
  return metrics;
}

/** Why a conditional write of a running run matched nothing: the row was failed meanwhile, or deleted. */
async function finishedOrGone(runId: string): Promise<Error> {
  const exists = await systemDb().reviewRun.count({ where: { id: runId } });
  return exists ? new NonRetriableError(`Run ${runId} was failed while it ran; it stays failed`) : new RunGoneError(runId);
}

export type CompletedRun = { runId: string; scheduleId: string; ownerId: string; healthScore: number | null; durationMs: number };

export async function completeRun(args: { runId: string; attempt?: number; now?: Date }): Promise<CompletedRun> {
  const { runId, now = new Date() } = args;
  await noteAttempt(runId, args.attempt ?? 0);
  const select = { status: true, startedAt: true, queuedAt: true, durationMs: true, scheduledReviewId: true, ownerId: true, healthScore: true } as const;
  const run = await systemDb().reviewRun.findUnique({ where: { id: runId }, select });
  if (!run) throw new RunGoneError(runId);
  const result = (durationMs: number) => ({ runId, scheduleId: run.scheduledReviewId, ownerId: run.ownerId, healthScore: run.healthScore, durationMs });
  // Done already (a duplicate of this step): the same answer, nothing written twice.
  if (run.status === "COMPLETED") return result(run.durationMs ?? 0);
  const durationMs = Math.max(0, now.getTime() - (run.startedAt ?? run.queuedAt).getTime());
  // Only a run still RUNNING completes: a run the reconciler already failed (timed_out) must not
  // flip back to COMPLETED after its alert went out.
  const { count } = await systemDb().reviewRun.updateMany({
    where: { id: runId, status: "RUNNING" },
    data: { status: "COMPLETED", completedAt: now, durationMs, errorCode: null, errorMessage: null },
  });
  if (count === 0) {
    // A concurrent copy of this step completed it first: answer as it did.
    const again = await systemDb().reviewRun.findUnique({ where: { id: runId }, select });
    if (again?.status === "COMPLETED") return result(again.durationMs ?? 0);
    throw await finishedOrGone(runId);
  }
  await systemDb().scheduledReview.updateMany({ where: { id: run.scheduledReviewId }, data: { lastRunAt: now } });
  logEvent("run.completed", { run_id: runId, schedule_id: run.scheduledReviewId, owner_id: run.ownerId, duration_ms: durationMs, health_score: run.healthScore });
  return result(durationMs);
}

/** failedAt (ISO) tells one failure of a run from another: a replay that fails again is a new failure. */
export type FailedRun = { runId: string; scheduleId: string; ownerId: string; errorCode: string; errorMessage: string; failedAt: string };

/**
 * review/run.failed for one failure. Its id is the failure's own, so every sender of the same failure
 * (a duplicate onFailure copy, the reconciler) announces it once: Inngest drops a repeated event id.
 */
export function runFailedEvent(f: FailedRun) {
  const { failedAt, ...data } = f;
  return reviewRunFailed.create(data, { id: `${f.runId}:failed:${Date.parse(failedAt)}` });
}

/**
 * Fails a run that is still queued or running; null when there is nothing to fail (row gone, or
 * already finished: a failure after "complete" must not turn a completed run into a failed one).
 */
export async function failRun(args: {
  runId: string;
  errorCode: string;
  errorMessage: string;
  now?: Date;
  /** Compare-and-set: fail only while the row still matches what the caller read (e.g. its status). */
  expect?: Prisma.ReviewRunWhereInput;
}): Promise<FailedRun | null> {
  const { runId, errorCode, now = new Date() } = args;
  const errorMessage = (args.errorMessage || "The run failed").slice(0, MAX_ERROR_MESSAGE);
  const run = await systemDb().reviewRun.findUnique({
    where: { id: runId },
    select: { status: true, startedAt: true, queuedAt: true, scheduledReviewId: true, ownerId: true },
  });
  if (!run || !(ACTIVE as readonly string[]).includes(run.status)) return null;
  const { count } = await systemDb().reviewRun.updateMany({
    where: { id: runId, status: { in: [...ACTIVE] }, ...args.expect },
    data: {
      status: "FAILED",
      errorCode,
      errorMessage,
      completedAt: now,
      durationMs: Math.max(0, now.getTime() - (run.startedAt ?? run.queuedAt).getTime()),
    },
  });
  // Nothing that can throw follows the compare-and-set: the caller must get the failure to announce it.
  // Auto-pause is its own step, triggered by review/run.failed (inngest/functions/auto-pause-on-failure.ts).
  if (count) logEvent("run.failed", { run_id: runId, schedule_id: run.scheduledReviewId, owner_id: run.ownerId, error_code: errorCode, duration_ms: Math.max(0, now.getTime() - (run.startedAt ?? run.queuedAt).getTime()) }, "warn");
  return count ? { runId, scheduleId: run.scheduledReviewId, ownerId: run.ownerId, errorCode, errorMessage, failedAt: now.toISOString() } : null;
}

const CODE = /^[a-z][a-z0-9_]{2,63}$/;

/**
 * The error code an error carries: `code` on it or down its `cause` chain. Lower-snake codes only,
 * so system codes such as ECONNREFUSED or Prisma's P2002 read as "internal".
 */
export function errorCodeOf(err: unknown): string {
  let e: unknown = err;
  for (let depth = 0; depth < 6 && typeof e === "object" && e !== null; depth++) {
    const code: unknown = Reflect.get(e, "code");
    if (typeof code === "string" && CODE.test(code)) return code;
    e = Reflect.get(e, "cause");
  }
  return "internal";
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Records why a step attempt failed while the run keeps RUNNING (the UI can show why it retries).
 * onFailure needs it too: Inngest hands onFailure the final StepError, whose serialised form keeps
 * neither the thrown error's `code` nor its cause's, so the code is taken from here.
 */
export async function recordStepError(runId: string, err: unknown): Promise<void> {
  await systemDb().reviewRun.updateMany({
    where: { id: runId, status: "RUNNING" },
    data: { errorCode: errorCodeOf(err), errorMessage: messageOf(err).slice(0, MAX_ERROR_MESSAGE) },
  });
}

/** onFailure: fail the run with the error's code, else the code its last failed attempt recorded. */
export async function failRunFromError(args: { runId: string; error: unknown; inngestRunId?: string; now?: Date }): Promise<FailedRun | null> {
  let errorCode = errorCodeOf(args.error);
  if (errorCode === "internal") {
    const run = await systemDb().reviewRun.findUnique({ where: { id: args.runId }, select: { errorCode: true } });
    errorCode = run?.errorCode ?? "internal";
  }
  // Only the Inngest run that owns the row (or a row nobody started) is failed by this failure: a
  // copy that lost the row to another run (a repair copy) must not fail the run still executing.
  const expect = args.inngestRunId ? { OR: [{ status: "QUEUED" as const }, { inngestRunId: args.inngestRunId }] } : undefined;
  const failed = await failRun({ runId: args.runId, errorCode, errorMessage: messageOf(args.error), now: args.now, expect });
  if (failed) return failed;
  // Already failed (by a concurrent copy of this step, or the reconciler): the same failure again,
  // so the event that announces it carries the same id and goes out once.
  const row = await systemDb().reviewRun.findUnique({ where: { id: args.runId } });
  if (row?.status !== "FAILED" || !row.completedAt) return null;
  return {
    runId: row.id, scheduleId: row.scheduledReviewId, ownerId: row.ownerId,
    errorCode: row.errorCode ?? "internal", errorMessage: row.errorMessage ?? "", failedAt: row.completedAt.toISOString(),
  };
}

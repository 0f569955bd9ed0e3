import { reviewRunRequested } from "@/inngest/events";
import { AppError } from "@/lib/errors";
import { InngestSendError, sendEvents } from "@/lib/inngest-send";
import { log } from "@/lib/log";
import { failRun } from "@/lib/runs/lifecycle";

type QueuedRun = { id: string; scheduledReviewId: string; ownerId: string };

/**
 * Hands queued runs to Inngest as review/run.requested events (one batch), each under the event id
 * `eventId(run)`. If Inngest cannot take them in time they are failed at once, never left queued,
 * and the caller gets executor_unreachable (run-now, replay).
 */
export async function handOverRuns(runs: QueuedRun[], eventId: (run: QueuedRun) => string, what: string): Promise<void> {
  if (runs.length === 0) return;
  try {
    await sendEvents(runs.map((r) => reviewRunRequested.create({ runId: r.id, scheduleId: r.scheduledReviewId, ownerId: r.ownerId }, { id: eventId(r) })));
  } catch (err) {
    const unreachable = err instanceof InngestSendError;
    const errorMessage = err instanceof Error ? err.message : String(err);
    for (const r of runs) await failRun({ runId: r.id, errorCode: unreachable ? err.code : "internal", errorMessage });
    if (!unreachable) throw err;
    log.warn({ err, runIds: runs.map((r) => r.id) }, `${what}: Inngest unreachable, run(s) marked failed`);
    throw new AppError(
      "executor_unreachable",
      "The background executor (Inngest) could not be reached, so the run was marked failed. Try again shortly.",
      runs.length === 1 ? { run_id: runs[0].id } : { run_ids: runs.map((r) => r.id) },
    );
  }
}

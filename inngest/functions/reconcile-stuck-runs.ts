import { cron } from "inngest";
import { inngest } from "@/inngest/client";
import { reviewRunFailed, reviewRunRequested } from "@/inngest/events";
import { reconcileRuns, type ReconcileResult } from "@/lib/scheduler/reconcile";
import { withTick } from "@/inngest/with-tick";
import { emptyCounts, type TickCounts } from "@/lib/scheduler/ticks";

// Every 5 minutes: record a tick, settle runs stuck QUEUED or RUNNING (lib/scheduler/reconcile.ts),
// re-send the events of repaired runs under their repair ids, announce the runs failed here as
// review/run.failed, close the tick. Nothing is left stuck: a run is repaired at most twice, then failed.
const SEND_BATCH = 200;

async function inBatches<T>(items: T[], send: (batch: T[], n: number) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += SEND_BATCH) await send(items.slice(i, i + SEND_BATCH), i / SEND_BATCH);
}

const countsOf = (r: ReconcileResult): TickCounts => ({
  ...emptyCounts(),
  due: r.examined,
  repaired: r.repaired.length,
  failed: r.failed.length,
});

export const reconcileStuckRuns = inngest.createFunction(
  {
    id: "reconcile-stuck-runs",
    name: "Reconcile stuck runs",
    triggers: [cron("*/5 * * * *")],
    // Every write is compare-and-set, so overlapping passes are safe; one at a time is cheaper.
    concurrency: { limit: 1 },
    retries: 2,
  },
  async ({ step }) => {
    let outcome = { examined: 0, repaired: 0, failed: 0 };
    const closed = await withTick(step, "RECONCILE", async (now, report) => {
      const result = await step.run("reconcile", () => reconcileRuns({ now }));
      outcome = { examined: result.examined, repaired: result.repaired.length, failed: result.failed.length };
      report({ counts: countsOf(result), details: result.details });
      const requested = result.repaired.map((r) =>
        reviewRunRequested.create({ runId: r.runId, scheduleId: r.scheduleId, ownerId: r.ownerId }, { id: r.eventId }),
      );
      const failed = result.failed.map((f) => reviewRunFailed.create(f));
      // step.sendEvent is memoised: a retry of this function never sends a batch twice.
      await inBatches(requested, (batch, n) => step.sendEvent(`send-repairs-${n}`, batch));
      await inBatches(failed, (batch, n) => step.sendEvent(`send-failed-${n}`, batch));
    });
    return { ...closed, ...outcome };
  },
);

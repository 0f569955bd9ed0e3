import { cron } from "inngest";
import { inngest } from "@/inngest/client";
import { reviewRunFailed, reviewRunRequested } from "@/inngest/events";
import { sendInBatches } from "@/inngest/send-batches";
import { withTick } from "@/inngest/with-tick";
import { reconcileRuns } from "@/lib/scheduler/reconcile";
import { emptyCounts } from "@/lib/scheduler/ticks";

// Every 5 minutes: record a tick, settle runs stuck QUEUED or RUNNING (lib/scheduler/reconcile.ts),
// re-send the events of repaired runs under their repair ids, announce the runs failed here as
// review/run.failed, close the tick. Nothing is left stuck: a run is repaired at most twice, then failed.
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
      report({ counts: { ...emptyCounts(), due: outcome.examined, repaired: outcome.repaired, failed: outcome.failed }, details: result.details });
      const requested = result.repaired.map((r) =>
        reviewRunRequested.create({ runId: r.runId, scheduleId: r.scheduleId, ownerId: r.ownerId }, { id: r.eventId }),
      );
      await sendInBatches(step, "send-repairs", requested);
      await sendInBatches(step, "send-failed", result.failed.map((f) => reviewRunFailed.create(f)));
    });
    return { ...closed, ...outcome };
  },
);

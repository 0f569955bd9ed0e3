import { reviewRunRequested } from "@/inngest/events";
import { sendInBatches } from "@/inngest/send-batches";
import { schedulerCron } from "@/inngest/with-tick";
import { runFailedEvent } from "@/lib/runs/lifecycle";
import { reconcileRuns } from "@/lib/scheduler/reconcile";
import { emptyCounts } from "@/lib/scheduler/ticks";

// Every 5 minutes: record a tick, settle runs stuck QUEUED or RUNNING (lib/scheduler/reconcile.ts),
// re-send the events of repaired runs under their repair ids, announce the runs failed here as
// review/run.failed, close the tick. Nothing is left stuck: a run is repaired at most twice, then failed.
export const reconcileStuckRuns = schedulerCron(
  { id: "reconcile-stuck-runs", name: "Reconcile stuck runs", cron: "*/5 * * * *", kind: "RECONCILE" },
  async ({ step, now, report }) => {
    const result = await step.run("reconcile", () => reconcileRuns({ now }));
    const counts = { ...emptyCounts(), due: result.examined, repaired: result.repaired.length, failed: result.failed.length };
    report({ counts, details: result.details });
    const requested = result.repaired.map((r) =>
      reviewRunRequested.create({ runId: r.runId, scheduleId: r.scheduleId, ownerId: r.ownerId }, { id: r.eventId }),
    );
    await sendInBatches(step, "send-repairs", requested);
    await sendInBatches(step, "send-failed", result.failed.map(runFailedEvent));
    return { examined: result.examined };
  },
);

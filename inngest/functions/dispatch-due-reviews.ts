import { reviewRunRequested } from "@/inngest/events";
import { sendInBatches } from "@/inngest/send-batches";
import { schedulerCron } from "@/inngest/with-tick";
import { dispatchDue } from "@/lib/scheduler/dispatch";

// Every minute: record a tick, queue one run per due (schedule, slot), fan the runs out as
// review/run.requested events (event id = run id, so Inngest drops duplicates), close the tick.
export const dispatchDueReviews = schedulerCron(
  { id: "dispatch-due-reviews", name: "Dispatch due reviews", cron: "* * * * *", kind: "DISPATCH" },
  async (step, now, report, attempt) => {
    const { runs, details, ...counts } = await step.run("dispatch-due", () =>
      // On a retry, earlier attempts may have queued runs whose events were never sent.
      dispatchDue({ now, recoverSince: attempt > 0 ? now : undefined }),
    );
    report({ counts, details });
    const events = runs.map((r) => reviewRunRequested.create({ runId: r.runId, scheduleId: r.scheduleId, ownerId: r.ownerId }, { id: r.runId }));
    await sendInBatches(step, "fan-out", events);
  },
);

import { reviewRunRequested } from "@/inngest/events";
import { sendInBatches } from "@/inngest/send-batches";
import { schedulerCron } from "@/inngest/with-tick";
import { dispatchDue } from "@/lib/scheduler/dispatch";

// Every minute: record a tick, queue one run per due (schedule, slot), fan the runs out as
// review/run.requested events (event id = run id, so Inngest drops duplicates), close the tick.
// A tick whose process died is closed as failed by the next one, which resends what it queued.
export const dispatchDueReviews = schedulerCron(
  { id: "dispatch-due-reviews", name: "Dispatch due reviews", cron: "* * * * *", kind: "DISPATCH" },
  async ({ step, now, report, attempt, recoverSince }) => {
    const { runs, details, ...counts } = await step.run("dispatch-due", () =>
      // Runs queued by an earlier attempt, or by a tick whose process died, may never have had their
      // events sent: send them again (the event id is the run id, so a resend is harmless).
      dispatchDue({ now, recoverSince: recoverSince ?? (attempt > 0 ? now : undefined) }),
    );
    report({ counts, details });
    const events = runs.map((r) => reviewRunRequested.create({ runId: r.runId, scheduleId: r.scheduleId, ownerId: r.ownerId }, { id: r.runId }));
    await sendInBatches(step, "fan-out", events);
  },
);

import { cron } from "inngest";
import { inngest } from "@/inngest/client";
import { reviewRunRequested } from "@/inngest/events";
import { sendInBatches } from "@/inngest/send-batches";
import { withTick } from "@/inngest/with-tick";
import { dispatchDue } from "@/lib/scheduler/dispatch";
import { emptyCounts } from "@/lib/scheduler/ticks";

// Every minute: record a tick, queue one run per due (schedule, slot), fan the runs out as
// review/run.requested events (event id = run id, so Inngest drops duplicates), close the tick.
export const dispatchDueReviews = inngest.createFunction(
  {
    id: "dispatch-due-reviews",
    name: "Dispatch due reviews",
    triggers: [cron("* * * * *")],
    // Correct when concurrent too (see lib/scheduler/dispatch.ts); one at a time is simply cheaper.
    concurrency: { limit: 1 },
    retries: 2,
  },
  async ({ step, attempt }) => {
    let counts = emptyCounts();
    const closed = await withTick(step, "DISPATCH", async (now, report) => {
      const { runs, details, ...dispatched } = await step.run("dispatch-due", () =>
        // On a retry, earlier attempts may have queued runs whose events were never sent.
        dispatchDue({ now, recoverSince: attempt > 0 ? now : undefined }),
      );
      counts = dispatched;
      report({ counts, details });
      const events = runs.map((r) => reviewRunRequested.create({ runId: r.runId, scheduleId: r.scheduleId, ownerId: r.ownerId }, { id: r.runId }));
      await sendInBatches(step, "fan-out", events);
    });
    return { ...closed, ...counts };
  },
);

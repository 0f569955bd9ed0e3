import { cron } from "inngest";
import { inngest } from "@/inngest/client";
import { reviewRunRequested } from "@/inngest/events";
import { dispatchDue, type DispatchResult } from "@/lib/scheduler/dispatch";
import { withTick } from "@/inngest/with-tick";
import { emptyCounts, type TickCounts } from "@/lib/scheduler/ticks";

// Every minute: record a tick, queue one run per due (schedule, slot), fan the runs out as
// review/run.requested events (event id = run id, so Inngest drops duplicates), close the tick.
export const FAN_OUT_BATCH = 200;

const countsOf = (r: DispatchResult): TickCounts => ({
  due: r.due,
  dispatched: r.dispatched,
  skipped: r.skipped,
  missed: r.missed,
  failed: r.failed,
});

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
      const result = await step.run("dispatch-due", () =>
        // On a retry, earlier attempts may have queued runs whose events were never sent.
        dispatchDue({ now, recoverSince: attempt > 0 ? now : undefined }),
      );
      counts = countsOf(result);
      report({ counts, details: result.details });
      const runs = result.runs;
      for (let i = 0; i < runs.length; i += FAN_OUT_BATCH) {
        await step.sendEvent(
          `fan-out-${i / FAN_OUT_BATCH}`,
          runs.slice(i, i + FAN_OUT_BATCH).map((r) => reviewRunRequested.create({ runId: r.runId, scheduleId: r.scheduleId, ownerId: r.ownerId }, { id: r.runId })),
        );
      }
    });
    return { ...closed, ...counts };
  },
);

import { cron } from "inngest";
import { inngest } from "@/inngest/client";
import { reviewRunRequested } from "@/inngest/events";
import { dispatchDue, type DispatchResult } from "@/lib/scheduler/dispatch";
import { closeTick, emptyCounts, openTick, type TickCounts } from "@/lib/scheduler/ticks";

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
    const tick = await step.run("open-tick", () => openTick("DISPATCH"));
    const now = new Date(tick.startedAt);
    let result: DispatchResult | undefined;
    try {
      result = await step.run("dispatch-due", () =>
        // On a retry, earlier attempts may have queued runs whose events were never sent.
        dispatchDue({ now, recoverSince: attempt > 0 ? now : undefined }),
      );
      const runs = result.runs;
      for (let i = 0; i < runs.length; i += FAN_OUT_BATCH) {
        await step.sendEvent(
          `fan-out-${i / FAN_OUT_BATCH}`,
          runs.slice(i, i + FAN_OUT_BATCH).map((r) => reviewRunRequested.create({ runId: r.runId, scheduleId: r.scheduleId, ownerId: r.ownerId }, { id: r.runId })),
        );
      }
    } catch (err) {
      const counts = result ? countsOf(result) : emptyCounts();
      const message = err instanceof Error ? err.message : String(err);
      await step.run("close-tick-failed", () => closeTick({ tickId: tick.tickId, counts, error: message }));
      throw err;
    }
    const dispatched = result;
    return step.run("close-tick", async () => {
      const closed = await closeTick({ tickId: tick.tickId, counts: countsOf(dispatched), details: dispatched.details });
      return { ...closed, ...countsOf(dispatched) };
    });
  },
);

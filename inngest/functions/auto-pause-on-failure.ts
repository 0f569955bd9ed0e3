import { inngest } from "@/inngest/client";
import { reviewRunFailed } from "@/inngest/events";
import { autoPauseIfFailing } from "@/lib/schedules/auto-pause";

// After every announced failure (onFailure, the reconciler): pause the schedule if its auto-pause
// threshold is reached. Its own step, so the failure event is sent whatever happens here; the step is a
// compare-and-set, so duplicate events or concurrent copies pause it once.
export const autoPauseOnFailure = inngest.createFunction(
  { id: "auto-pause-on-failure", name: "Auto-pause after consecutive failures", triggers: [reviewRunFailed], retries: 3 },
  async ({ event, step }) => {
    const paused = await step.run("auto-pause", () => autoPauseIfFailing(event.data.scheduleId));
    return { scheduleId: event.data.scheduleId, paused };
  },
);

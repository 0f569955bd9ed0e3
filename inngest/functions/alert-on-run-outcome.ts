import { inngest } from "@/inngest/client";
import { reviewRunCompleted, reviewRunFailed } from "@/inngest/events";
import { sendNotifications } from "@/inngest/notify-steps";
import { evaluateRunOutcome } from "@/lib/alerts/evaluate-runs";

// After every run outcome: the schedule rules open or resolve alerts, then each notification is sent
// in its own step. One evaluation per workspace at a time, so a burst of outcomes is judged in order.
export const alertOnRunOutcome = inngest.createFunction(
  {
    id: "alert-on-run-outcome",
    name: "Evaluate alerts after a run",
    triggers: [reviewRunFailed, reviewRunCompleted],
    concurrency: [{ key: "event.data.ownerId", limit: 1 }],
    retries: 3,
  },
  async ({ event, step }) => {
    const { ownerId, scheduleId, runId } = event.data;
    const ids = await step.run("evaluate", () => evaluateRunOutcome({ ownerId, scheduleId, runId }));
    const sent = await sendNotifications(step, ids);
    return { notifications: sent.length };
  },
);

import { inngest } from "@/inngest/client";
import { monitorExecutionRecorded } from "@/inngest/events";
import { sendNotifications } from "@/inngest/notify-steps";
import { evaluateMonitorOutcome } from "@/lib/alerts/evaluate-monitors";

// After an external job reported a finished execution: the run rules on the monitor's executions.
export const alertOnMonitorExecution = inngest.createFunction(
  {
    id: "alert-on-monitor-execution",
    name: "Evaluate alerts after a monitor execution",
    triggers: [monitorExecutionRecorded],
    concurrency: [{ key: "event.data.ownerId", limit: 1 }],
    retries: 3,
  },
  async ({ event, step }) => {
    const ids = await step.run("evaluate", () => evaluateMonitorOutcome(event.data));
    const sent = await sendNotifications(step, ids);
    return { notifications: sent.length };
  },
);

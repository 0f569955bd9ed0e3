import { cron } from "inngest";
import { inngest } from "@/inngest/client";
import { sendNotifications } from "@/inngest/notify-steps";
import { sweepAlerts } from "@/lib/alerts/evaluate-system";

// Every minute, beside the dispatcher: the dead-man rule (no dispatcher tick for M minutes, resolved
// when ticks resume), connection recoveries, and re-notification of alerts still open.
export const alertSweep = inngest.createFunction(
  { id: "alert-sweep", name: "Alert sweep (dead-man, re-notify)", triggers: [cron("* * * * *")], concurrency: { limit: 1 }, retries: 2 },
  async ({ step }) => {
    const ids = await step.run("sweep", () => sweepAlerts());
    const sent = await sendNotifications(step, ids);
    return { notifications: sent.length };
  },
);

import { inngest } from "@/inngest/client";
import { crmConnectionExpired } from "@/inngest/events";
import { sendNotifications } from "@/inngest/notify-steps";
import { evaluateConnectionExpired } from "@/lib/alerts/evaluate-system";

// crm/connection.expired: one open alert per connection (it resolves in the alert sweep once the
// connection works again).
export const alertOnConnectionExpired = inngest.createFunction(
  {
    id: "alert-on-connection-expired",
    name: "Alert on an expired CRM connection",
    triggers: [crmConnectionExpired],
    concurrency: [{ key: "event.data.ownerId", limit: 1 }],
    retries: 3,
  },
  async ({ event, step }) => {
    const ids = await step.run("evaluate", () => evaluateConnectionExpired(event.data));
    const sent = await sendNotifications(step, ids);
    return { notifications: sent.length };
  },
);

import { inngest } from "@/inngest/client";
import { postcheckCompleted } from "@/inngest/events";
import { sendNotifications } from "@/inngest/notify-steps";
import { evaluateCoverage } from "@/lib/alerts/evaluate-system";

// After each coverage postcheck: every watched workspace's last 24 h against the 95 % bar.
export const alertOnPostcheck = inngest.createFunction(
  { id: "alert-on-postcheck", name: "Evaluate coverage alerts after the postcheck", triggers: [postcheckCompleted], concurrency: { limit: 1 }, retries: 3 },
  async ({ event, step }) => {
    const ids = await step.run("evaluate", () => evaluateCoverage(new Date(event.data.at)));
    const sent = await sendNotifications(step, ids);
    return { notifications: sent.length };
  },
);

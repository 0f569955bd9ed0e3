import type { GetStepTools } from "inngest";
import type { inngest } from "@/inngest/client";
import { deliverAlertNotification } from "@/lib/alerts/notify";

type Step = GetStepTools<typeof inngest>;

/**
 * One memoised step per queued alert notification, in parallel: a retry of the function re-runs only
 * the ones that did not finish, and each row's lease and idempotency key keep a duplicate from sending twice.
 */
export async function sendNotifications(step: Step, ids: string[]) {
  return Promise.all(ids.map((id) => step.run(`notify-${id}`, () => deliverAlertNotification(id))));
}

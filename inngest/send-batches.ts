import type { GetStepTools } from "inngest";
import type { inngest } from "@/inngest/client";

type Step = GetStepTools<typeof inngest>;
type Payload = Parameters<Step["sendEvent"]>[1];

/** Inngest's limit on events per send is far above this; 200 keeps each memoised step output small. */
export const SEND_BATCH = 200;

/**
 * Sends events as memoised steps `<name>-0`, `<name>-1`, …: a retry of the function never sends a
 * batch twice, and the events' own ids make a resend after a crash a no-op at Inngest.
 */
export async function sendInBatches(step: Step, name: string, events: Extract<Payload, unknown[]>) {
  for (let i = 0; i < events.length; i += SEND_BATCH) await step.sendEvent(`${name}-${i / SEND_BATCH}`, events.slice(i, i + SEND_BATCH));
}

import { setTimeout as sleep } from "node:timers/promises";
import { systemDb } from "@/lib/db";
import type { Delivery } from "@/lib/generated/prisma/client";

// Inngest may execute a delivery step twice at the same time (a step request that timed out is
// retried while the first copy still runs). Only the copy holding the row's lease sends; the other
// waits for its outcome and answers with it, so a message is never sent twice by one Inngest run.

/** Longer than any one send (Resend and Slack calls time out well within it); a crashed holder's lease expires. */
export const DELIVERY_LEASE_MS = 2 * 60_000;
const WAIT_MS = 20_000;
const POLL_MS = 200;

export type Claim = { claimed: Delivery } | { finished: Delivery };

/** Another copy of the step held the delivery past the wait: retried by Inngest, which finds the outcome then. */
export class DeliveryInProgressError extends Error {
  readonly code = "delivery_in_progress";
}

async function tryClaim(id: string, now: Date): Promise<Delivery | null> {
  const { count } = await systemDb().delivery.updateMany({
    where: { id, status: "PENDING", OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
    data: { leaseUntil: new Date(now.getTime() + DELIVERY_LEASE_MS), attempts: { increment: 1 } },
  });
  return count ? systemDb().delivery.findUniqueOrThrow({ where: { id } }) : null;
}

/** Takes the delivery's lease (one attempt more), or waits until the copy that has it finishes. */
export async function claimDelivery(id: string, waitMs = WAIT_MS): Promise<Claim> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const claimed = await tryClaim(id, new Date());
    if (claimed) return { claimed };
    const row = await systemDb().delivery.findUniqueOrThrow({ where: { id } });
    if (row.status !== "PENDING") return { finished: row };
    if (Date.now() >= deadline) throw new DeliveryInProgressError(`Delivery ${id} is being sent by another attempt`);
    await sleep(POLL_MS);
  }
}

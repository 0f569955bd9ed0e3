// One delivery (email or Slack) of one run, recorded as one Delivery row. Called from a step of the
// run-review function. Idempotency key = run + channel + Inngest run id: a step retry (same Inngest
// run) finds the row already SENT and sends nothing. A later execution of the same run (a replay, a
// repair, a dashboard replay) records the channel as SKIPPED (already_sent) when an earlier execution
// delivered it: a run's summary goes out once per channel (DESIGN flow 10).
import { systemDb, Prisma } from "@/lib/db";
import { decrypt, maskUrl } from "@/lib/crypto";
import { env, isProduction } from "@/lib/env";
import { RunGoneError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Delivery, DeliveryChannel, ReviewRun, ScheduledReview } from "@/lib/generated/prisma/client";
import { buildSummary } from "@/lib/delivery/build-summary";
import { renderReviewEmail } from "@/lib/delivery/email-template";
import { postJson } from "@/lib/delivery/http-post";
import { emailPayloadSchema, maskRecipients, slackPayloadSchema } from "@/lib/delivery/payload";
import { claimDelivery, DeliveryInProgressError } from "@/lib/delivery/lease";
import { sendEmailViaResend } from "@/lib/delivery/resend-client";
import { slackMessageFor } from "@/lib/delivery/slack-blocks";
import { DeliveryError, isLoopbackHttp, validateSlackWebhookUrl } from "@/lib/delivery/url-safety";

export type DeliverArgs = {
  runId: string;
  channel: "EMAIL" | "SLACK";
  inngestRunId: string;
  /** Inngest's 0-based attempt number of the calling step. */
  attempt: number;
  maxAttempts: number;
};
export type DeliverResult = { status: "sent" | "failed" | "skipped"; deliveryId: string };

type RunWithSchedule = ReviewRun & { scheduledReview: ScheduledReview };

/** What one try will do: record a skip, or store the payload and call send(). */
type Plan =
  | { kind: "skip"; code: string; message: string }
  | { kind: "send"; payload: Prisma.InputJsonObject; send: () => Promise<string | null> };
/** Filled in by a planner as soon as the (masked) target is known, so a failure still shows where it was going. */
type Target = { masked: string };

export function deliveryKey(runId: string, channel: DeliveryChannel, inngestRunId: string): string {
  return `${runId}:${channel}:${inngestRunId}`;
}

const RESULT_STATUS = { SENT: "sent", FAILED: "failed", SKIPPED: "skipped" } as const;

function finalResult(row: Delivery): DeliverResult | null {
  return row.status === "PENDING" ? null : { status: RESULT_STATUS[row.status], deliveryId: row.id };
}

async function planEmail(run: RunWithSchedule, row: Delivery, target: Target): Promise<Plan> {
  const schedule = run.scheduledReview;
  const stored = emailPayloadSchema.safeParse(row.payload);
  const to = stored.success ? stored.data.to : schedule.emailRecipients;
  if (to.length === 0) return { kind: "skip", code: "no_recipients", message: "The schedule has no email recipients" };
  target.masked = maskRecipients(to);

  const { RESEND_API_KEY, RESEND_BASE_URL, FROM_EMAIL } = env();
  if (!RESEND_API_KEY && isProduction()) {
    throw new DeliveryError("Email is not configured: set RESEND_API_KEY to send review emails", {
      code: "email_not_configured",
      retryable: false,
    });
  }
  const payload = stored.success
    ? stored.data
    : { from: FROM_EMAIL, to, ...(await renderReviewEmail(await buildSummary(run.id))) };
  const send = RESEND_API_KEY
    ? async () => {
        const { id } = await sendEmailViaResend({
          apiKey: RESEND_API_KEY,
          ...payload,
          idempotencyKey: row.idempotencyKey,
          baseUrl: RESEND_BASE_URL,
        });
        return id;
      }
    : // Local default: the stored payload is the message; /dev/outbox renders it.
      async () => `outbox:${row.id}`;
  return { kind: "send", payload, send };
}

/** No RESEND_API_KEY outside production: the local default, where messages go to /dev/outbox. */
function localOutbox(): boolean {
  return !env().RESEND_API_KEY && !isProduction();
}

async function planSlack(run: RunWithSchedule, row: Delivery, target: Target): Promise<Plan> {
  const encrypted = run.scheduledReview.slackWebhookEncrypted;
  if (!encrypted) return { kind: "skip", code: "no_webhook", message: "The schedule has no Slack webhook" };
  let url: string;
  try {
    url = decrypt(encrypted);
  } catch {
    throw new DeliveryError("The stored Slack webhook cannot be read; reconnect Slack", {
      code: "webhook_unreadable",
      retryable: false,
    });
  }
  target.masked = maskUrl(url);
  // Checked again at send time: the stored value may predate today's rules or have been tampered with.
  const allowLoopback = env().ALLOW_LOOPBACK_DELIVERY;
  if (!(allowLoopback && isLoopbackHttp(url))) {
    const problem = validateSlackWebhookUrl(url);
    if (problem) throw new DeliveryError(`Refused to post: ${problem}`, { code: "unsafe_destination", retryable: false });
  }
  const stored = slackPayloadSchema.safeParse(row.payload);
  const payload = stored.success ? stored.data : slackMessageFor(await buildSummary(run.id));
  // Local default (no provider keys, not production): Slack messages wait in the dev outbox too.
  const send = localOutbox()
    ? async () => `outbox:${row.id}`
    : async () => {
        await postJson(url, payload, { allowLoopback }); // resolves and checks the address before connecting
        return null; // incoming webhooks answer "ok" without a message id
      };
  return { kind: "send", payload: payload as Prisma.InputJsonObject, send };
}

function asDeliveryError(err: unknown, runId: string): DeliveryError {
  if (err instanceof DeliveryError) return err;
  // Unknown failures (database, rendering) are logged in full and stored with a generic message.
  log.error({ err, runId }, "unexpected error during delivery");
  return new DeliveryError("Unexpected error while delivering", { code: "internal_error", retryable: true, cause: err });
}

/** An earlier execution of this run already delivered this channel: skip, and say when it went out. */
async function alreadySent(row: Delivery): Promise<Plan | null> {
  const sent = await systemDb().delivery.findFirst({
    where: { runId: row.runId, channel: row.channel, status: "SENT", id: { not: row.id } },
    orderBy: { sentAt: "asc" },
  });
  if (!sent) return null;
  const at = sent.sentAt?.toISOString() ?? "earlier";
  return { kind: "skip", code: "already_sent", message: `Already delivered by an earlier execution of this run (${at}); not sent again` };
}

/**
 * Records and performs one channel's delivery for a run. Throws only to ask Inngest to retry the step
 * (a retryable error with attempts left); every other failure is recorded and returned as "failed",
 * so a failed delivery never fails the review.
 */
export async function deliverChannel(args: DeliverArgs): Promise<DeliverResult> {
  const run = await systemDb().reviewRun.findUnique({ where: { id: args.runId }, include: { scheduledReview: true } });
  if (!run) throw new RunGoneError(args.runId);

  const idempotencyKey = deliveryKey(run.id, args.channel, args.inngestRunId);
  // Insert-if-absent in one statement: two copies of the step arriving together share one row.
  await systemDb().delivery.createMany({
    data: [{ runId: run.id, ownerId: run.ownerId, channel: args.channel, target: "", idempotencyKey }],
    skipDuplicates: true,
  });
  const existing = await systemDb().delivery.findUniqueOrThrow({ where: { idempotencyKey } });
  const done = finalResult(existing);
  if (done) return done;

  let claim;
  try {
    claim = await claimDelivery(existing.id);
  } catch (err) {
    // Another copy still holds it and this step has no attempt left: never fail the review for it.
    if (err instanceof DeliveryInProgressError && args.attempt + 1 >= args.maxAttempts) return { status: "failed", deliveryId: existing.id };
    throw err;
  }
  if ("finished" in claim) return finalResult(claim.finished)!;
  const row = claim.claimed;
  // Writes only while this copy still holds the lease: a holder whose lease expired cannot overwrite
  // the outcome of the copy that took over.
  const mine = { id: row.id, leaseUntil: row.leaseUntil };
  const record = (data: Prisma.DeliveryUpdateManyMutationInput) => systemDb().delivery.updateMany({ where: mine, data });
  // A final status (or a retry) gives the lease back.
  const settle = (data: Prisma.DeliveryUpdateManyMutationInput) => record({ ...data, leaseUntil: null });
  const target: Target = { masked: row.target };
  try {
    const plan = (await alreadySent(row)) ?? (await (args.channel === "EMAIL" ? planEmail(run, row, target) : planSlack(run, row, target)));
    if (plan.kind === "skip") {
      await settle({ status: "SKIPPED", errorCode: plan.code, errorMessage: plan.message });
      return { status: "skipped", deliveryId: row.id };
    }
    // Stored before sending: a retry resends these exact bytes, and the outbox can show a failed message.
    await record({ target: target.masked, payload: plan.payload });
    const providerMessageId = await plan.send();
    await settle({ status: "SENT", providerMessageId, sentAt: new Date(), errorCode: null, errorMessage: null });
    return { status: "sent", deliveryId: row.id };
  } catch (err) {
    if (err instanceof RunGoneError) throw err;
    const e = asDeliveryError(err, run.id);
    const retry = e.retryable && args.attempt + 1 < args.maxAttempts;
    await settle({ status: retry ? "PENDING" : "FAILED", target: target.masked, errorCode: e.code, errorMessage: e.message });
    if (retry) throw e;
    return { status: "failed", deliveryId: row.id };
  }
}

export { deliveryStats } from "@/lib/delivery/stats";

import "server-only";
import { decrypt } from "@/lib/crypto";
import { Prisma, systemDb } from "@/lib/db";
import { postJson } from "@/lib/delivery/http-post";
import { maskRecipients } from "@/lib/delivery/payload";
import { sendEmailViaResend } from "@/lib/delivery/resend-client";
import { DeliveryError } from "@/lib/delivery/url-safety";
import { env, isProduction } from "@/lib/env";
import type { AlertNotification, AlertNotificationKind } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import { emailFor, EVENT_ID_HEADER, SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER, webhookBodyFor, type MessageFacts } from "@/lib/alerts/message";
import { settingsFor, webhookSecret, webhookUrlProblem, type EffectiveSettings } from "@/lib/alerts/settings";

// Alert notifications: one row per (alert event, channel target) with a deterministic idempotency key,
// rendered and stored before sending; sent by whichever copy of the step holds the row's lease (the
// delivery lease idea of lib/delivery/lease.ts), so a retried or duplicated step never sends twice.

export const NOTIFY_MAX_ATTEMPTS = 3;
const LEASE_MS = 2 * 60_000;

/** Why a notification was recorded but not sent. */
export type Suppressed = { code: "snoozed" | "muted" | "cooldown" | "not_told_open"; message: string };

type Queue = {
  settings: EffectiveSettings;
  facts: MessageFacts;
  /** unique per alert event: "<alertId>:open", "<alertId>:renotify:<ms>", "test:<uuid>" */
  eventKey: string;
  suppressed?: Suppressed | null;
};

/** Records the event's notification to every channel; returns the ids to send (none when suppressed). */
export async function queueNotifications({ settings, facts, eventKey, suppressed }: Queue): Promise<string[]> {
  const rows: Prisma.AlertNotificationCreateManyInput[] = [];
  const base = { ownerId: settings.ownerId, alertId: facts.alert?.id ?? null, kind: facts.kind as AlertNotificationKind, createdAt: facts.at };
  const skip = suppressed ? { status: "SKIPPED" as const, errorCode: suppressed.code, errorMessage: suppressed.message } : {};
  if (settings.emailRecipients.length) {
    const key = `${eventKey}:email`;
    rows.push({ ...base, ...skip, channel: "EMAIL", target: maskRecipients(settings.emailRecipients), idempotencyKey: key,
      payload: emailFor(facts, env().FROM_EMAIL, settings.emailRecipients) });
  }
  for (const hook of settings.webhooks) {
    const key = `${eventKey}:webhook:${hook.id}`;
    rows.push({ ...base, ...skip, channel: "WEBHOOK", target: hook.masked, idempotencyKey: key,
      payload: { webhookId: hook.id, body: webhookBodyFor(facts, key) } });
  }
  if (!rows.length) return [];
  await systemDb().alertNotification.createMany({ data: rows, skipDuplicates: true });
  const stored = await systemDb().alertNotification.findMany({
    where: { idempotencyKey: { in: rows.map((r) => r.idempotencyKey) }, status: "PENDING" },
    select: { id: true },
  });
  return stored.map((r) => r.id);
}

async function claim(id: string, now: Date): Promise<AlertNotification | null> {
  const { count } = await systemDb().alertNotification.updateMany({
    where: { id, status: "PENDING", OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
    data: { leaseUntil: new Date(now.getTime() + LEASE_MS), attempts: { increment: 1 } },
  });
  return count ? systemDb().alertNotification.findUnique({ where: { id } }) : null;
}

type EmailPayload = { from: string; to: string[]; subject: string; html: string; text: string };
type WebhookPayload = { webhookId: string; body: Record<string, unknown> };

async function sendEmail(row: AlertNotification): Promise<string> {
  const payload = row.payload as EmailPayload;
  const { RESEND_API_KEY, RESEND_BASE_URL } = env();
  if (!RESEND_API_KEY) {
    if (isProduction()) throw new DeliveryError("Email is not configured: set RESEND_API_KEY", { code: "email_not_configured", retryable: false });
    return `outbox:${row.id}`; // local default: kept here, as review emails are
  }
  const { id } = await sendEmailViaResend({ apiKey: RESEND_API_KEY, ...payload, idempotencyKey: row.idempotencyKey, baseUrl: RESEND_BASE_URL });
  return id;
}

async function sendWebhook(row: AlertNotification, settings: EffectiveSettings): Promise<null> {
  const { webhookId, body } = row.payload as WebhookPayload;
  const hook = settings.webhooks.find((w) => w.id === webhookId);
  if (!hook) throw new DeliveryError("The webhook was removed from the alert settings", { code: "webhook_removed", retryable: false });
  const url = decrypt(hook.encrypted);
  // The SSRF guard again at send time: the saved URL may predate today's rules; postJson checks the resolved address.
  const problem = webhookUrlProblem(url);
  if (problem) throw new DeliveryError(`Refused to post: ${problem}`, { code: "unsafe_destination", retryable: false });
  const secret = webhookSecret(settings);
  if (!secret) throw new DeliveryError("No webhook signing secret: rotate one in the alert settings", { code: "no_signing_secret", retryable: false });
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = signWebhook(secret, timestamp, JSON.stringify(body));
  await postJson(url, body, {
    allowLoopback: env().ALLOW_LOOPBACK_DELIVERY,
    headers: { [SIGNATURE_HEADER]: signature, [TIMESTAMP_HEADER]: String(timestamp), [EVENT_ID_HEADER]: row.idempotencyKey },
  });
  return null;
}

export type NotifyOutcome = { id: string; status: "pending" | "sent" | "failed" | "skipped" };
const outcome = (r: AlertNotification): NotifyOutcome => ({ id: r.id, status: r.status.toLowerCase() as NotifyOutcome["status"] });

/**
 * Sends one queued notification. With retries left a retryable failure goes back to PENDING and is
 * thrown (Inngest retries the step); otherwise it is recorded FAILED. A copy that finds the lease held
 * elsewhere throws too: its retry reads the holder's outcome.
 */
export async function deliverAlertNotification(id: string, opts: { retry?: boolean } = {}): Promise<NotifyOutcome> {
  const retry = opts.retry ?? true;
  const row = await claim(id, new Date());
  if (!row) {
    const current = await systemDb().alertNotification.findUniqueOrThrow({ where: { id } });
    if (current.status !== "PENDING") return outcome(current);
    throw new DeliveryError(`Notification ${id} is being sent by another attempt`, { code: "delivery_in_progress", retryable: true });
  }
  const mine = { id, leaseUntil: row.leaseUntil };
  const settle = async (data: Prisma.AlertNotificationUpdateManyMutationInput) => {
    await systemDb().alertNotification.updateMany({ where: mine, data: { ...data, leaseUntil: null } });
    return outcome({ ...row, ...(data as object) } as AlertNotification);
  };
  try {
    const providerMessageId = row.channel === "EMAIL" ? await sendEmail(row) : await sendWebhook(row, await settingsFor(row.ownerId));
    return await settle({ status: "SENT", providerMessageId, sentAt: new Date(), errorCode: null, errorMessage: null });
  } catch (err) {
    const e = err instanceof DeliveryError ? err : new DeliveryError("Unexpected error while notifying", { code: "internal_error", retryable: true, cause: err });
    if (!(err instanceof DeliveryError)) log.error({ err, notificationId: id }, "unexpected error during alert notification");
    const again = retry && e.retryable && row.attempts < NOTIFY_MAX_ATTEMPTS;
    const result = await settle({ status: again ? "PENDING" : "FAILED", errorCode: e.code, errorMessage: e.message.slice(0, 500) });
    if (again) throw e;
    return result;
  }
}

/** A PENDING row this old with no live lease lost the step that queued it (the step died after queueing). */
export const STRANDED_AFTER_MS = 2 * 60_000;
const STRANDED_MAX_AGE_MS = 24 * 60 * 60_000;

/** The notifications the sweep sends because nobody else will: PENDING, older than ~2 minutes, unleased or lease expired. */
export async function strandedNotifications(now: Date, take = 100): Promise<string[]> {
  const rows = await systemDb().alertNotification.findMany({
    where: {
      status: "PENDING",
      createdAt: { lt: new Date(now.getTime() - STRANDED_AFTER_MS), gt: new Date(now.getTime() - STRANDED_MAX_AGE_MS) },
      OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }],
    },
    orderBy: { createdAt: "asc" },
    take,
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

/** Test alerts and hand resolves send at once, one attempt each: the caller shows the outcome. */
export async function deliverNow(ids: string[]): Promise<NotifyOutcome[]> {
  return Promise.all(ids.map((id) => deliverAlertNotification(id, { retry: false })));
}

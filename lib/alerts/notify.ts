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
export type Suppressed = { code: "snoozed" | "muted" | "not_told_open" | "capped"; message: string };

type Queue = {
  settings: EffectiveSettings;
  facts: MessageFacts;
  /** unique per alert event: "<alertId>:open", "<alertId>:renotify:<ms>", "test:<uuid>" */
  eventKey: string;
  suppressed?: Suppressed | null;
  /** held until then (cooldown, quiet hours): the sweep sends it if still true */
  sendAfter?: Date | null;
};

const HOUR = 60 * 60_000;
const SENDING = ["PENDING", "SENT"] as const;

/**
 * The per-target hourly cap (test alerts aside): full when the target already has max_messages_per_hour
 * messages created in the hour before `at`; otherwise how many were capped since its last message.
 */
async function capOf(s: EffectiveSettings, keySuffix: string, at: Date): Promise<{ full: boolean; heldBack: number }> {
  const base = { ownerId: s.ownerId, kind: { not: "TEST" as const }, idempotencyKey: { endsWith: keySuffix } };
  const recent = await systemDb().alertNotification.count({ where: { ...base, status: { in: [...SENDING] }, createdAt: { gt: new Date(at.getTime() - HOUR), lte: at } } });
  if (recent >= s.maxMessagesPerHour) return { full: true, heldBack: 0 };
  const last = await systemDb().alertNotification.findFirst({ where: { ...base, status: { in: [...SENDING] }, createdAt: { lte: at } }, orderBy: { createdAt: "desc" }, select: { createdAt: true } });
  const heldBack = await systemDb().alertNotification.count({
    where: { ...base, status: "SKIPPED", errorCode: "capped", createdAt: { lte: at, ...(last ? { gt: last.createdAt } : {}) } },
  });
  return { full: false, heldBack };
}

/**
 * Records the event's notification to every channel; returns the ids to send now (none when suppressed
 * or held). Past the hourly cap a target's row is recorded SKIPPED ("capped"); its next message says how
 * many were held back.
 */
export async function queueNotifications({ settings, facts, eventKey, suppressed, sendAfter }: Queue): Promise<string[]> {
  const targets = [
    ...(settings.emailRecipients.length ? [{ channel: "EMAIL" as const, suffix: ":email", target: maskRecipients(settings.emailRecipients), hookId: null }] : []),
    ...settings.webhooks.map((hook) => ({ channel: "WEBHOOK" as const, suffix: `:webhook:${hook.id}`, target: hook.masked, hookId: hook.id })),
  ];
  const rows: Prisma.AlertNotificationCreateManyInput[] = [];
  for (const t of targets) {
    const cap = suppressed || facts.kind === "TEST" ? { full: false, heldBack: 0 } : await capOf(settings, t.suffix, facts.at);
    const skip = suppressed ?? (cap.full ? { code: "capped", message: `Over the limit of ${settings.maxMessagesPerHour} messages per hour to this target: counted in the next one` } : null);
    const key = `${eventKey}${t.suffix}`;
    const f = { ...facts, heldBack: cap.heldBack };
    rows.push({
      ownerId: settings.ownerId, alertId: facts.alert?.id ?? null, kind: facts.kind as AlertNotificationKind, createdAt: facts.at,
      channel: t.channel, target: t.target, idempotencyKey: key,
      ...(skip ? { status: "SKIPPED" as const, errorCode: skip.code, errorMessage: skip.message } : { sendAfter: sendAfter ?? null }),
      payload: t.hookId ? { webhookId: t.hookId, body: webhookBodyFor(f, key) } : emailFor(f, env().FROM_EMAIL, settings.emailRecipients),
    });
  }
  if (!rows.length) return [];
  await systemDb().alertNotification.createMany({ data: rows, skipDuplicates: true });
  const stored = await systemDb().alertNotification.findMany({
    where: { idempotencyKey: { in: rows.map((r) => r.idempotencyKey) }, status: "PENDING", sendAfter: null },
    select: { id: true },
  });
  return stored.map((r) => r.id);
}

async function claim(id: string, now: Date): Promise<AlertNotification | null> {
  const { count } = await systemDb().alertNotification.updateMany({
    where: { id, status: "PENDING", AND: [{ OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] }, { OR: [{ sendAfter: null }, { sendAfter: { lte: now } }] }] },
    data: { leaseUntil: new Date(now.getTime() + LEASE_MS), attempts: { increment: 1 } },
  });
  return count ? systemDb().alertNotification.findUnique({ where: { id } }) : null;
}

type EmailPayload = { from: string; to: string[]; subject: string; html: string; text: string };
type WebhookPayload = { webhookId: string; body: Record<string, unknown> };

/** Without RESEND_API_KEY outside production an email is only kept (its rendered payload on the row): recorded SKIPPED, never "sent". */
const OUTBOX_ONLY = { code: "email_outbox", message: "RESEND_API_KEY is not set: the email was kept in this record (local outbox), not sent" };

async function sendEmail(row: AlertNotification): Promise<string> {
  const payload = row.payload as EmailPayload;
  const { RESEND_API_KEY, RESEND_BASE_URL } = env();
  if (!RESEND_API_KEY) throw new DeliveryError("Email is not configured: set RESEND_API_KEY", { code: "email_not_configured", retryable: false });
  // Resend's Idempotency-Key is the row's key: a retry after a lost response is answered, not sent again.
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
    const stale = row.sendAfter && (await supersededBecause(row));
    if (stale) return await settle({ status: "SKIPPED", errorCode: "superseded", errorMessage: stale });
    if (row.channel === "EMAIL" && !env().RESEND_API_KEY && !isProduction()) return await markNotified(row).then(() => settle({ status: "SKIPPED", errorCode: OUTBOX_ONLY.code, errorMessage: OUTBOX_ONLY.message }));
    const providerMessageId = row.channel === "EMAIL" ? await sendEmail(row) : await sendWebhook(row, await settingsFor(row.ownerId));
    await markNotified(row);
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

/**
 * A held open or reminder told its alert's channels when its hold ended, not when it was queued: the
 * re-notify interval runs from then. Moved before the row is settled (a reminder is not queued while a held
 * message of its alert is PENDING), and only forward.
 */
async function markNotified(row: AlertNotification): Promise<void> {
  if (!row.sendAfter || !row.alertId || (row.kind !== "OPEN" && row.kind !== "RENOTIFY")) return;
  await systemDb().alert.updateMany({ where: { id: row.alertId, status: "OPEN", lastNotifiedAt: { lt: row.sendAfter } }, data: { lastNotifiedAt: row.sendAfter } });
}

/**
 * A held message goes out only if it is still true when its hold ends: an open or reminder while its
 * alert is open, unacknowledged (reminders) and unmuted; a recovery while its subject has no open alert.
 */
async function supersededBecause(row: AlertNotification): Promise<string | null> {
  const alert = row.alertId ? await systemDb().alert.findUnique({ where: { id: row.alertId } }) : null;
  if (!alert) return null;
  if (row.kind === "RESOLVE") {
    const reopened = await systemDb().alert.count({ where: { ownerId: alert.ownerId, openKey: alert.dedupKey } });
    return reopened ? "The subject has an open alert again: that one is told instead" : null;
  }
  if (alert.status !== "OPEN") return "The alert resolved before this held message was due";
  if (alert.mutedUntil && alert.mutedUntil > new Date()) return "The alert was muted meanwhile";
  if (row.kind === "RENOTIFY" && alert.acknowledgedAt) return "The alert was acknowledged meanwhile";
  return null;
}

/** A PENDING row this old with no live lease lost the step that queued it (the step died after queueing). */
export const STRANDED_AFTER_MS = 2 * 60_000;
const STRANDED_MAX_AGE_MS = 24 * 60 * 60_000;

/**
 * The notifications the sweep sends because nobody else will: PENDING and unleased (or lease expired),
 * either older than ~2 minutes, or held and due.
 */
export async function strandedNotifications(now: Date, take = 100): Promise<string[]> {
  const rows = await systemDb().alertNotification.findMany({
    where: {
      status: "PENDING",
      AND: [
        { OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
        { OR: [
          { sendAfter: null, createdAt: { lt: new Date(now.getTime() - STRANDED_AFTER_MS), gt: new Date(now.getTime() - STRANDED_MAX_AGE_MS) } },
          { sendAfter: { lte: now, gt: new Date(now.getTime() - STRANDED_MAX_AGE_MS) } },
        ] },
      ],
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

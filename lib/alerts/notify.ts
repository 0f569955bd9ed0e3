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
import { quietUntil } from "@/lib/alerts/quiet-hours";
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
type Tx = Parameters<Parameters<ReturnType<typeof systemDb>["$transaction"]>[0]>[0];

/** Serialises the hourly-cap count and what follows it per workspace (a transaction-scoped advisory lock). */
async function underCapLock<T>(ownerId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return systemDb().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`alert-cap:${ownerId}`}))`;
    return fn(tx);
  }, { timeout: 30_000 });
}

/**
 * The per-workspace hourly cap (test alerts aside): how many messages went out (or are going out) in the
 * hour before `at` — sent, queued to send now, or held and being sent — and how many were capped since the
 * last one. A message goes out when queued, or at its sendAfter when held. Call under underCapLock.
 */
async function capOf(tx: Tx, s: EffectiveSettings, at: Date, except?: string): Promise<{ recent: number; heldBack: number }> {
  const since = new Date(at.getTime() - HOUR);
  const told: Prisma.AlertNotificationWhereInput = {
    ownerId: s.ownerId, kind: { not: "TEST" }, ...(except ? { id: { not: except } } : {}),
    OR: [{ status: "SENT" }, { status: "PENDING", sendAfter: null }, { status: "PENDING", leaseUntil: { not: null } }],
  };
  const inHour = { OR: [{ sendAfter: null, createdAt: { gt: since, lte: at } }, { sendAfter: { gt: since, lte: at } }] };
  const recent = await tx.alertNotification.count({ where: { AND: [told, inHour] } });
  const last = await tx.alertNotification.findFirst({ where: { AND: [told, { createdAt: { lte: at } }] }, orderBy: { createdAt: "desc" }, select: { createdAt: true } });
  const heldBack = await tx.alertNotification.count({
    where: { ownerId: s.ownerId, status: "SKIPPED", errorCode: "capped", createdAt: { lte: at, ...(last ? { gt: last.createdAt } : {}) } },
  });
  return { recent, heldBack };
}

const cappedBy = (s: EffectiveSettings) => ({ code: "capped" as const, message: `Over the workspace's limit of ${s.maxMessagesPerHour} alert messages per hour: counted in the next one` });

/**
 * Records the event's notification to every channel; returns the ids to send now (none when suppressed
 * or held). Past the workspace's hourly cap a row is recorded SKIPPED ("capped"); the next message says how
 * many were held back. Counted and inserted under the workspace's lock, so concurrent events cannot all
 * pass; a held row is checked again when it is due (claimHeld).
 */
export async function queueNotifications({ settings, facts, eventKey, suppressed, sendAfter }: Queue): Promise<string[]> {
  const targets = [
    ...(settings.emailRecipients.length ? [{ channel: "EMAIL" as const, suffix: ":email", target: maskRecipients(settings.emailRecipients), hookId: null }] : []),
    ...settings.webhooks.map((hook) => ({ channel: "WEBHOOK" as const, suffix: `:webhook:${hook.id}`, target: hook.masked, hookId: hook.id })),
  ];
  if (!targets.length) return [];
  const keys = targets.map((t) => `${eventKey}${t.suffix}`);
  return underCapLock(settings.ownerId, async (tx) => {
    const counted = !suppressed && !sendAfter && facts.kind !== "TEST";
    const cap = counted ? await capOf(tx, settings, facts.at) : { recent: 0, heldBack: 0 };
    const rows: Prisma.AlertNotificationCreateManyInput[] = targets.map((t, i) => {
      const skip = suppressed ?? (counted && cap.recent + i >= settings.maxMessagesPerHour ? cappedBy(settings) : null);
      const f = { ...facts, heldBack: cap.heldBack };
      return {
        ownerId: settings.ownerId, alertId: facts.alert?.id ?? null, kind: facts.kind as AlertNotificationKind, createdAt: facts.at,
        channel: t.channel, target: t.target, idempotencyKey: keys[i]!,
        ...(skip ? { status: "SKIPPED" as const, errorCode: skip.code, errorMessage: skip.message } : { sendAfter: sendAfter ?? null }),
        payload: t.hookId ? { webhookId: t.hookId, body: webhookBodyFor(f, keys[i]!) } : emailFor(f, env().FROM_EMAIL, settings.emailRecipients),
      };
    });
    await tx.alertNotification.createMany({ data: rows, skipDuplicates: true });
    const stored = await tx.alertNotification.findMany({ where: { idempotencyKey: { in: keys }, status: "PENDING", sendAfter: null }, select: { id: true } });
    return stored.map((r) => r.id);
  });
}

/**
 * A held row now due: counted against the hourly cap as of its send time, under the workspace's lock, and
 * either capped or leased there (a leased held row counts for the next one).
 */
async function claimHeld(row: AlertNotification, now: Date): Promise<AlertNotification | null> {
  return underCapLock(row.ownerId, async (tx) => {
    const s = await settingsFor(row.ownerId);
    const { recent } = await capOf(tx, s, row.sendAfter!, row.id);
    const free = { id: row.id, status: "PENDING" as const, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }], sendAfter: { lte: now } };
    if (recent >= s.maxMessagesPerHour) {
      const c = cappedBy(s);
      await tx.alertNotification.updateMany({ where: free, data: { status: "SKIPPED", errorCode: c.code, errorMessage: c.message, createdAt: row.sendAfter! } });
      return null;
    }
    const { count } = await tx.alertNotification.updateMany({ where: free, data: { leaseUntil: new Date(now.getTime() + LEASE_MS), attempts: { increment: 1 } } });
    return count ? tx.alertNotification.findUnique({ where: { id: row.id } }) : null;
  });
}

async function claim(id: string, now: Date): Promise<AlertNotification | null> {
  const held = await systemDb().alertNotification.findUnique({ where: { id } });
  if (held?.status === "PENDING" && held.sendAfter && held.sendAfter <= now && !held.leaseUntil && held.kind !== "TEST") return claimHeld(held, now);
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
export async function deliverAlertNotification(id: string, opts: { retry?: boolean; now?: Date } = {}): Promise<NotifyOutcome> {
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
    const silenced = row.sendAfter && (await silencedMeanwhile(row, opts.now ?? new Date()));
    if (silenced && "until" in silenced) return await settle({ status: "PENDING", sendAfter: silenced.until });
    if (silenced) return await settle({ status: "SKIPPED", errorCode: silenced.code, errorMessage: silenced.message });
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

/**
 * A held message whose workspace turned alerting off or snoozed it while it waited is not sent; one due
 * inside quiet hours as they are now (set or moved while it waited) waits again for their end, unless critical.
 */
async function silencedMeanwhile(row: AlertNotification, now: Date): Promise<{ code: string; message: string } | { until: Date } | null> {
  const s = await settingsFor(row.ownerId);
  if (!s.enabled) return { code: "superseded", message: "Alerting was turned off before this held message was due" };
  if (s.snoozedUntil && s.snoozedUntil > now) return { code: "snoozed", message: `Alerts are snoozed until ${s.snoozedUntil.toISOString()}` };
  const alert = row.alertId ? await systemDb().alert.findUnique({ where: { id: row.alertId }, select: { severity: true } }) : null;
  const until = alert?.severity === "CRITICAL" ? null : quietUntil(s.quietHours, now);
  return until ? { until } : null;
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

import "server-only";
import { randomBytes, randomUUID } from "node:crypto";
import { z } from "zod";
import { decrypt, encrypt, maskSecret, maskUrl } from "@/lib/crypto";
import { alertSettingsAudit } from "@/lib/audit/entries";
import { recordAudit } from "@/lib/audit/record";
import { forTenant, SHORT_TX, systemDb } from "@/lib/db";
import { isLoopbackHttp, validateOutboundUrl } from "@/lib/delivery/url-safety";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { iso } from "@/lib/format";
import type { AlertSettings } from "@/lib/generated/prisma/client";
import { Prisma } from "@/lib/generated/prisma/client";
import type { QuietHours } from "@/lib/alerts/quiet-hours";
import { alertRulesSchema, DEFAULT_MAX_PER_HOUR, DEFAULT_RULES, quietHoursSchema, type AlertRules, type AlertSettingsDto, type UpdateAlertSettings } from "@/lib/alerts/schemas";
import { canonicalZone } from "@/lib/tz/names";

// A tenant's alert settings. Without a saved row the defaults apply (enabled, no channels), so a new
// workspace sees its alerts on /alerts before it configures anyone to tell.

const storedWebhookSchema = z.array(z.object({ id: z.string(), encrypted: z.string(), masked: z.string() }));
export type StoredWebhook = z.infer<typeof storedWebhookSchema>[number];

/** What the evaluator and the notifier read: typed, defaults filled in. */
export type EffectiveSettings = {
  ownerId: string;
  enabled: boolean;
  rules: AlertRules;
  recoverySuccesses: number;
  renotifyMinutes: number;
  cooldownMinutes: number;
  flappingPerDay: number;
  emailRecipients: string[];
  webhooks: StoredWebhook[];
  webhookSecretEncrypted: string | null;
  webhookSecretMasked: string | null;
  snoozedUntil: Date | null;
  maxMessagesPerHour: number;
  quietHours: QuietHours | null;
  updatedAt: Date | null;
};

/** Stored rules merged over the defaults, rule by rule: a rule added later starts at its default. */
export function parseRules(stored: unknown): AlertRules {
  const obj = (typeof stored === "object" && stored !== null ? stored : {}) as Record<string, unknown>;
  const merged = Object.fromEntries(
    Object.entries(DEFAULT_RULES).map(([name, def]) => {
      const rule = alertRulesSchema.shape[name as keyof AlertRules].safeParse(obj[name]);
      return [name, rule.success ? rule.data : def];
    }),
  );
  return merged as AlertRules;
}

export function effective(ownerId: string, row: AlertSettings | null): EffectiveSettings {
  const webhooks = storedWebhookSchema.safeParse(row?.webhooks ?? []);
  return {
    ownerId,
    enabled: row?.enabled ?? true,
    rules: parseRules(row?.rules),
    recoverySuccesses: row?.recoverySuccesses ?? 2,
    renotifyMinutes: row?.renotifyMinutes ?? 240,
    cooldownMinutes: row?.cooldownMinutes ?? 60,
    flappingPerDay: row?.flappingPerDay ?? 5,
    emailRecipients: row?.emailRecipients ?? [],
    webhooks: webhooks.success ? webhooks.data : [],
    webhookSecretEncrypted: row?.webhookSecretEncrypted ?? null,
    webhookSecretMasked: row?.webhookSecretMasked ?? null,
    snoozedUntil: row?.snoozedUntil ?? null,
    maxMessagesPerHour: row?.maxMessagesPerHour ?? DEFAULT_MAX_PER_HOUR,
    quietHours: row?.quietHours ? (quietHoursSchema.safeParse(row.quietHours).data ?? null) : null,
    updatedAt: row?.updatedAt ?? null,
  };
}

/** Settings of one tenant, for a system job (the evaluator works across tenants). */
export async function settingsFor(ownerId: string): Promise<EffectiveSettings> {
  return effective(ownerId, await systemDb().alertSettings.findUnique({ where: { ownerId } }));
}

function toDto(s: EffectiveSettings, secret?: string): AlertSettingsDto {
  return {
    enabled: s.enabled,
    rules: s.rules,
    recovery_successes: s.recoverySuccesses,
    renotify_minutes: s.renotifyMinutes,
    cooldown_minutes: s.cooldownMinutes,
    flapping_per_day: s.flappingPerDay,
    email_recipients: s.emailRecipients,
    webhooks: s.webhooks.map((w) => ({ id: w.id, url_masked: w.masked })),
    webhook_secret_masked: s.webhookSecretMasked,
    ...(secret ? { webhook_secret: secret } : {}),
    snoozed_until: iso(s.snoozedUntil),
    max_messages_per_hour: s.maxMessagesPerHour,
    quiet_hours: s.quietHours,
    updated_at: iso(s.updatedAt),
  };
}

export async function getAlertSettings(ownerId: string): Promise<AlertSettingsDto> {
  return toDto(effective(ownerId, await forTenant(ownerId).alertSettings.findFirst({})));
}

/**
 * The SSRF guard's save-time half for an alert webhook: https to a public host. Plain http to loopback
 * passes only with ALLOW_LOOPBACK_DELIVERY (the test doubles; refused in production by lib/env.ts).
 */
export function webhookUrlProblem(url: string): string | null {
  if (env().ALLOW_LOOPBACK_DELIVERY && isLoopbackHttp(url)) return null;
  return validateOutboundUrl(url);
}

/** Two entries that post to the same URL (the same saved webhook twice, or a URL given again) would send every alert twice. */
const sameUrl = (url: string) => { try { return new URL(url).href; } catch { return url; } };

function nextWebhooks(current: StoredWebhook[], wanted: NonNullable<UpdateAlertSettings["webhooks"]>): StoredWebhook[] {
  const problems: { path: string; message: string; code: string }[] = [];
  const seen = new Map<string, number>();
  const list = wanted.map((w, i): StoredWebhook | null => {
    const kept = "id" in w ? current.find((c) => c.id === w.id) : undefined;
    if ("id" in w && !kept) problems.push({ path: `webhooks.${i}.id`, message: "No saved webhook has this id", code: "custom" });
    const url = "url" in w ? w.url : kept && decrypt(kept.encrypted);
    const first = url ? seen.get(sameUrl(url)) : undefined;
    if (first !== undefined) problems.push({ path: `webhooks.${i}${"url" in w ? ".url" : ".id"}`, message: `The same webhook URL as webhooks.${first}: each URL at most once`, code: "custom" });
    else if (url) seen.set(sameUrl(url), i);
    if (!("url" in w)) return kept ?? null;
    const problem = webhookUrlProblem(w.url);
    if (problem) problems.push({ path: `webhooks.${i}.url`, message: problem, code: "custom" });
    return { id: randomUUID(), encrypted: encrypt(w.url), masked: maskUrl(w.url) };
  });
  if (problems.length) throw new AppError("validation_error", "The request is invalid", problems);
  return list.filter((w): w is StoredWebhook => w !== null);
}

const newSecret = () => `whsec_${randomBytes(24).toString("base64url")}`;

/**
 * Replaces the settings. The first webhook (or rotate_webhook_secret) creates a new signing secret,
 * returned whole in this response only; a rotated secret signs every webhook from then on. A
 * compare-and-set on updatedAt: of two concurrent writes (two rotations) exactly one lands, the other
 * answers 409 conflict and its secret is never stored or shown.
 */
export async function updateAlertSettings(ownerId: string, body: UpdateAlertSettings, actorId: string): Promise<AlertSettingsDto> {
  const db = forTenant(ownerId);
  const current = effective(ownerId, await db.alertSettings.findFirst({}));
  const webhooks = body.webhooks ? nextWebhooks(current.webhooks, body.webhooks) : current.webhooks;
  const secret = body.rotate_webhook_secret || (webhooks.length && !current.webhookSecretEncrypted) ? newSecret() : undefined;
  const data = {
    enabled: body.enabled,
    rules: { ...DEFAULT_RULES, ...body.rules },
    recoverySuccesses: body.recovery_successes,
    renotifyMinutes: body.renotify_minutes,
    cooldownMinutes: body.cooldown_minutes,
    flappingPerDay: body.flapping_per_day,
    emailRecipients: body.email_recipients,
    webhooks,
    ...(body.snoozed_until !== undefined ? { snoozedUntil: body.snoozed_until ? new Date(body.snoozed_until) : null } : {}),
    maxMessagesPerHour: body.max_messages_per_hour ?? DEFAULT_MAX_PER_HOUR,
    quietHours: body.quiet_hours ? { ...body.quiet_hours, time_zone: canonicalZone(body.quiet_hours.time_zone) ?? body.quiet_hours.time_zone } : Prisma.DbNull,
    ...(secret ? { webhookSecretEncrypted: encrypt(secret), webhookSecretMasked: maskSecret(secret) } : {}),
  };
  const conflict = () => new AppError("conflict", "The alert settings changed while this update was made; read them again and retry");
  await db.$transaction(async (tx) => {
    if (!current.updatedAt) {
      const { count } = await tx.alertSettings.createMany({ data: [{ ownerId, ...data }], skipDuplicates: true });
      if (!count) throw conflict();
    } else {
      const { count } = await tx.alertSettings.updateMany({ where: { ownerId, updatedAt: current.updatedAt }, data });
      if (!count) throw conflict();
    }
    const saved = await tx.alertSettings.findFirst({ where: { ownerId } });
    await recordAudit(tx, ...alertSettingsAudit(ownerId, actorId, toDto(current), toDto(effective(ownerId, saved)), Boolean(body.rotate_webhook_secret)));
  }, SHORT_TX);
  const saved = effective(ownerId, await db.alertSettings.findFirst({}));
  // Loaded on use: lifecycle reads these settings' module itself.
  await (await import("@/lib/alerts/lifecycle")).rescheduleHeld(saved, new Date());
  return toDto(saved, secret);
}

export function webhookSecret(s: EffectiveSettings): string | null {
  return s.webhookSecretEncrypted ? decrypt(s.webhookSecretEncrypted) : null;
}

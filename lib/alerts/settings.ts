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
import { alertRulesSchema, DEFAULT_RULES, type AlertRules, type AlertSettingsDto, type UpdateAlertSettings } from "@/lib/alerts/schemas";

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

function nextWebhooks(current: StoredWebhook[], wanted: NonNullable<UpdateAlertSettings["webhooks"]>): StoredWebhook[] {
  const problems: { path: string; message: string; code: string }[] = [];
  const list = wanted.map((w, i): StoredWebhook | null => {
    if ("id" in w) {
      const kept = current.find((c) => c.id === w.id);
      if (!kept) problems.push({ path: `webhooks.${i}.id`, message: "No saved webhook has this id", code: "custom" });
      return kept ?? null;
    }
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
 * returned whole in this response only; a rotated secret signs every webhook from then on.
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
    ...(secret ? { webhookSecretEncrypted: encrypt(secret), webhookSecretMasked: maskSecret(secret) } : {}),
  };
  const row = await db.$transaction(async (tx) => {
    const saved = await tx.alertSettings.upsert({ where: { ownerId }, create: { ownerId, ...data }, update: data });
    await recordAudit(tx, ...alertSettingsAudit(ownerId, actorId, toDto(current), toDto(effective(ownerId, saved)), Boolean(body.rotate_webhook_secret)));
    return saved;
  }, SHORT_TX);
  return toDto(effective(ownerId, row), secret);
}

export function webhookSecret(s: EffectiveSettings): string | null {
  return s.webhookSecretEncrypted ? decrypt(s.webhookSecretEncrypted) : null;
}

import { z } from "zod";
import { parseUrl } from "@/lib/delivery/slack-url";
import { queryInt } from "@/lib/schedules/schemas";
import { canonicalZone } from "@/lib/tz/names";

// The public contract of /api/alerts (snake_case JSON), shared by the route handlers, the OpenAPI
// document and the client components. No server imports: the settings form bundles it.

import { SEVERITIES } from "@/lib/alerts/severities";

export { SEVERITIES, type Severity } from "@/lib/alerts/severities";
export const MAX_ALERT_RECIPIENTS = 20;
export const MAX_WEBHOOKS = 5;

const severity = z.enum(SEVERITIES);
const toggle = { enabled: z.boolean(), severity };
const int = (min: number, max: number) => z.number().int().min(min).max(max);

/** Every rule the evaluator knows, each with its own severity and threshold. */
export const alertRulesSchema = z.object({
  failures_in_window: z.object({ ...toggle, count: int(1, 100), window_hours: int(1, 168) })
    .meta({ description: "N failed runs of one schedule within W hours" }),
  consecutive_failures: z.object({ ...toggle, count: int(1, 100) }).meta({ description: "N failed runs of one schedule in a row" }),
  low_health_score: z.object({ ...toggle, floor: int(0, 100) }).meta({ description: "A completed run's health score below the floor" }),
  slow_run: z.object({ ...toggle, limit_seconds: int(1, 86_400) }).meta({ description: "A run that took longer than the limit" }),
  connection_expired: z.object(toggle).meta({ description: "A CRM connection's refresh token died (crm/connection.expired)" }),
  coverage_below: z.object(toggle).meta({ description: "The hourly coverage postcheck found the last 24 h below 95 %" }),
  scheduler_silent: z.object({ ...toggle, minutes: int(2, 1440) }).meta({ description: "Dead-man: no dispatcher tick for M minutes" }),
  monitor_down: z.object(toggle).meta({ description: "A monitor's expected run did not start within its grace time, or a started run overran its max runtime" }),
});
export type AlertRules = z.infer<typeof alertRulesSchema>;
export type RuleName = keyof AlertRules;

export const DEFAULT_RULES: AlertRules = {
  failures_in_window: { enabled: true, severity: "critical", count: 3, window_hours: 24 },
  consecutive_failures: { enabled: true, severity: "critical", count: 2 },
  low_health_score: { enabled: false, severity: "warning", floor: 50 },
  slow_run: { enabled: false, severity: "warning", limit_seconds: 600 },
  connection_expired: { enabled: true, severity: "critical" },
  coverage_below: { enabled: true, severity: "warning" },
  scheduler_silent: { enabled: true, severity: "critical", minutes: 10 },
  monitor_down: { enabled: true, severity: "critical" },
};

const webhookUrl = z.string().superRefine((v, ctx) => {
  const parsed = parseUrl(v);
  if (typeof parsed === "string") ctx.addIssue({ code: "custom", message: parsed });
}).meta({ description: "https URL that receives signed JSON alerts (checked against private addresses at save and send time)" });

const noise = {
  recovery_successes: int(1, 20).meta({ description: "K successful runs in a row resolve a schedule's alert" }),
  renotify_minutes: int(1, 10_080).meta({ description: "While open and not acknowledged, notify every channel again after this long" }),
  cooldown_minutes: int(0, 1440).meta({ description: "An open or recovery message within this long of the subject's last one is held until the cooldown ends, then sent only if still true: at most one per cooldown" }),
  flapping_per_day: int(1, 1000).meta({ description: "Opened more than this many times in 24 h: marked flapping" }),
};

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Must be HH:MM (24-hour)");
export const quietHoursSchema = z.strictObject({
  days: z.array(int(0, 6)).min(1).max(7).refine((d) => new Set(d).size === d.length, "Each day at most once")
    .meta({ description: "Days of the week the quiet window starts on (0 = Sunday)" }),
  start: hhmm,
  end: hhmm.meta({ description: "Not after start: the window runs past midnight into the next day" }),
  time_zone: z.string().refine((v) => canonicalZone(v) !== null, "Unknown IANA time zone").meta({ examples: ["Europe/Berlin"] }),
}).refine((q) => q.start !== q.end, { message: "start and end must differ", path: ["end"] })
  .meta({ description: "Recurring quiet hours: non-critical messages are held and sent when they end (critical ones pass)" });
export type QuietHoursDto = z.infer<typeof quietHoursSchema>;

export const DEFAULT_MAX_PER_HOUR = 20;

export const updateAlertSettingsSchema = z.strictObject({
  enabled: z.boolean(),
  rules: alertRulesSchema.partial().meta({ description: "Every rule to set; a rule left out takes its default (so a client written before a rule existed keeps working)" }),
  ...noise,
  email_recipients: z.array(z.email("Invalid email address")).max(MAX_ALERT_RECIPIENTS, `At most ${MAX_ALERT_RECIPIENTS} recipients`)
    .refine((r) => new Set(r.map((e) => e.toLowerCase())).size === r.length, "Each recipient at most once"),
  webhooks: z.array(z.union([z.strictObject({ id: z.string().min(1).max(64) }), z.strictObject({ url: webhookUrl })]))
    .max(MAX_WEBHOOKS, `At most ${MAX_WEBHOOKS} webhooks`)
    .optional()
    .meta({ description: "Replaces the list: { id } keeps a saved webhook, { url } adds one. Omit to keep the list as it is." }),
  snoozed_until: z.iso.datetime({ offset: true }).nullable().optional().meta({ description: "No notifications until then; null ends a snooze" }),
  max_messages_per_hour: int(1, 1000).default(DEFAULT_MAX_PER_HOUR)
    .meta({ description: "At most this many alert messages per hour in the workspace (one per channel target); the rest are recorded skipped (capped) and counted in the next message" }),
  quiet_hours: quietHoursSchema.nullable().default(null),
  rotate_webhook_secret: z.boolean().optional().meta({ description: "true: a new signing secret replaces the old one at once, returned whole in this response only" }),
});
/** What a client sends (the new fields may be left out: their defaults apply). */
export type UpdateAlertSettings = z.input<typeof updateAlertSettingsSchema>;

export const alertSettingsSchema = z.object({
  enabled: z.boolean(),
  rules: alertRulesSchema,
  recovery_successes: z.number().int(),
  renotify_minutes: z.number().int(),
  cooldown_minutes: z.number().int(),
  flapping_per_day: z.number().int(),
  email_recipients: z.array(z.string()),
  webhooks: z.array(z.object({ id: z.string(), url_masked: z.string() })),
  webhook_secret_masked: z.string().nullable().meta({ description: "The signing secret, masked; the whole secret is shown once, when it is created or rotated" }),
  webhook_secret: z.string().optional().meta({ description: "Only in the response that created or rotated the secret: store it now, it is never shown again" }),
  snoozed_until: z.string().nullable(),
  max_messages_per_hour: z.number().int(),
  quiet_hours: z.object({ days: z.array(z.number().int()), start: z.string(), end: z.string(), time_zone: z.string() }).nullable(),
  updated_at: z.string().nullable(),
});
export type AlertSettingsDto = z.infer<typeof alertSettingsSchema>;

export const ALERT_KINDS = ["failures_in_window", "consecutive_failures", "low_health_score", "slow_run", "connection_expired", "coverage_below", "scheduler_silent", "monitor_failures"] as const;
const DELIVERY_STATUSES = ["pending", "sent", "failed", "skipped"] as const;

export const notificationSchema = z.object({
  id: z.string(),
  kind: z.enum(["open", "renotify", "resolve", "test"]),
  channel: z.enum(["email", "webhook"]),
  target: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  error_code: z.string().nullable(),
  error_message: z.string().nullable(),
  created_at: z.string(),
  sent_at: z.string().nullable(),
});

export const alertSchema = z.object({
  id: z.string(),
  kind: z.enum(ALERT_KINDS),
  severity,
  status: z.enum(["open", "resolved"]),
  title: z.string(),
  message: z.string(),
  subject: z.object({ type: z.string(), id: z.string().nullable(), schedule_id: z.string().nullable() }),
  opened_at: z.string(),
  resolved_at: z.string().nullable(),
  resolution: z.string().nullable(),
  acknowledged_at: z.string().nullable(),
  acknowledged_by: z.string().nullable(),
  muted_until: z.string().nullable(),
  flapping: z.boolean(),
  last_notified_at: z.string().nullable(),
  rules: z.array(z.string()).meta({ description: "Every rule that fired for this subject while the alert was open: the one that opened it first" }),
  events: z.array(z.object({ kind: z.literal("joined"), rule: z.string(), severity, title: z.string(), at: z.string() }))
    .meta({ description: "Another rule that fired for the same subject while open: it joined this alert (severity raised if higher) instead of opening and notifying again" }),
  notifications: z.array(notificationSchema).meta({ description: "Every message about this alert, oldest first, with its delivery status" }),
});
export type AlertDto = z.infer<typeof alertSchema>;

export const alertListQuerySchema = z.strictObject({
  status: z.enum(["open", "resolved", "all"]).default("all"),
  cursor: z.string().max(100).optional(),
  limit: queryInt(1, 100).default(25),
});
export const alertListSchema = z.object({ alerts: z.array(alertSchema), next_cursor: z.string().nullable().meta({ description: "Pass as cursor for the next page; null on the last" }) });
export type AlertListQuery = z.infer<typeof alertListQuerySchema>;

export const updateAlertSchema = z.strictObject({
  acknowledged: z.literal(true).optional().meta({ description: "Acknowledge: stops re-notification; the recovery is still sent" }),
  muted_until: z.iso.datetime({ offset: true }).nullable().optional().meta({ description: "Mute this alert (no messages at all) until then; null unmutes" }),
  status: z.literal("resolved").optional().meta({ description: "Resolve by hand (a recovery message is sent)" }),
}).refine((v) => Object.keys(v).length > 0, "Give acknowledged, muted_until or status");

export const testAlertResultSchema = z.object({
  results: z.array(z.object({
    channel: z.enum(["email", "webhook"]),
    target: z.string(),
    status: z.enum(DELIVERY_STATUSES),
    error_code: z.string().nullable(),
    error_message: z.string().nullable(),
  })),
});
export type TestAlertResult = z.infer<typeof testAlertResultSchema>;

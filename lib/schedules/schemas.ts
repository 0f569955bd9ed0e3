import { z } from "zod";
import { scanScopeSchema } from "@/lib/crm/scope";
import { ruleSettingsSchema } from "@/lib/reviews/types";
import { validateSlackWebhookUrl } from "@/lib/delivery/slack-url";
import { validateCron } from "@/lib/schedules/cron";
import { frequencySchema } from "@/lib/schedules/frequency";
import { canonicalZone, suggestZone } from "@/lib/tz/names";
import {
  CATCH_UP_POLICIES, DEFAULT_CATCH_UP_WINDOW_MINUTES, MAX_AUTO_PAUSE_AFTER_FAILURES, MAX_CATCH_UP_WINDOW_MINUTES, MAX_PAUSE_NOTE, MAX_RECIPIENTS,
  OVERLAP_POLICIES, RUN_STATUSES, RUN_TRIGGERS,
} from "@/lib/schedules/constants";

// The public contract of /api/scheduled-reviews (snake_case JSON). Shared by the route handlers,
// the OpenAPI document and the client components, so all three always agree.

export const DELIVERY_CHANNELS = ["email", "slack"] as const;
export { MAX_CATCH_UP_WINDOW_MINUTES, MAX_RECIPIENTS, OVERLAP_POLICIES, RUN_STATUSES, RUN_TRIGGERS };

/** An integer query parameter in plain decimal digits: z.coerce.number would also read "0x10", "1e1" or " 5". */
export const queryInt = (min: number, max: number) =>
  z.string().regex(/^\d{1,9}$/, "Must be a whole number in decimal digits").transform(Number).pipe(z.number().int().min(min).max(max));

const cronField = z.string().trim().superRefine((v, ctx) => {
  const problem = validateCron(v);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
}).meta({ description: "5-field cron (minute hour day-of-month month day-of-week) in the schedule's time zone", examples: ["0 6 * * 1"] });
// Exactly the tz database's names (links too); stored as the canonical name (Asia/Calcutta -> Asia/Kolkata).
const timezoneField = z
  .string()
  .superRefine((v, ctx) => {
    if (canonicalZone(v)) return;
    const hint = suggestZone(v);
    ctx.addIssue({ code: "custom", message: `Unknown IANA time zone${hint ? `; did you mean "${hint}"?` : ""}` });
  })
  .overwrite((v) => canonicalZone(v) ?? v)
  .meta({ description: "IANA time zone name, exactly as the tz database spells it; backward links are stored as their canonical zone", examples: ["America/New_York"] });
const slackUrlField = z.string().superRefine((v, ctx) => {
  const problem = validateSlackWebhookUrl(v);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
}).meta({ description: "Slack incoming webhook, https://hooks.slack.com/services/...; stored encrypted, returned masked" });

const scheduleFields = {
  name: z.string().trim().min(1, "Name is required").max(120, "Name must be at most 120 characters"),
  description: z.string().max(1000).nullable().optional(),
  crm_connection_id: z.string().min(1).max(64),
  schedule: cronField.optional(),
  frequency: frequencySchema.optional(),
  timezone: timezoneField,
  delivery_channels: z
    .array(z.enum(DELIVERY_CHANNELS))
    .max(2)
    .refine((c) => new Set(c).size === c.length, "Each delivery channel at most once"),
  email_recipients: z.array(z.email("Invalid email address")).max(MAX_RECIPIENTS, `At most ${MAX_RECIPIENTS} recipients`),
  slack_webhook_url: slackUrlField.nullable().optional(),
  is_active: z.boolean(),
  catch_up_policy: z.enum(CATCH_UP_POLICIES),
  catch_up_window_minutes: z.number().int().min(1).max(MAX_CATCH_UP_WINDOW_MINUTES)
    .meta({ description: "After downtime, a missed slot older than this is counted, not run (default 1440 = 1 day)" }),
  overlap_policy: z.enum(OVERLAP_POLICIES)
    .meta({ description: "A slot due while the previous run is active: skip (recorded as skipped), buffer_one (the newest waiting slot runs when that run ends), allow (runs concurrently)" }),
  rules: ruleSettingsSchema,
  scan_scope: scanScopeSchema,
  auto_pause_after_failures: z.number().int().min(1).max(MAX_AUTO_PAUSE_AFTER_FAILURES).nullable()
    .meta({ description: "Pause the schedule after this many consecutive failed runs (recorded with the reason); null = off" }),
};

/** PATCH only: why a schedule is paused, and when the resume cron re-activates it. */
export { MAX_PAUSE_NOTE };
const pauseFields = {
  pause_note: z.string().trim().max(MAX_PAUSE_NOTE, `At most ${MAX_PAUSE_NOTE} characters`).nullable()
    .meta({ description: "With is_active false (or on a paused schedule): why it is paused, shown in the schedule list" }),
  resume_at: z.iso.datetime({ offset: true }).nullable()
    .meta({ description: "With is_active false (or on a paused schedule): when to re-activate it (in the future); null = stay paused" }),
};

type ChannelFields = {
  delivery_channels?: readonly string[];
  email_recipients?: readonly string[];
  slack_webhook_url?: string | null;
};

/** Cross-field rules that hold for a full schedule (create, or PATCH merged over the stored one). */
export function checkChannels(v: ChannelFields, ctx: z.RefinementCtx) {
  const channels = v.delivery_channels ?? [];
  if (channels.includes("email") && !(v.email_recipients?.length))
    ctx.addIssue({ code: "custom", path: ["email_recipients"], message: "Add at least one recipient for email delivery" });
  if (channels.includes("slack") && !v.slack_webhook_url)
    ctx.addIssue({ code: "custom", path: ["slack_webhook_url"], message: "A Slack webhook URL is required for Slack delivery" });
}

/** The same channel rules as a schema, for a PATCH merged over the stored schedule (400 on failure). */
export const channelRulesSchema = z
  .object({
    delivery_channels: z.array(z.string()),
    email_recipients: z.array(z.string()),
    slack_webhook_url: z.string().nullable(),
  })
  .superRefine(checkChannels);

export const createScheduleSchema = z
  .strictObject({
    ...scheduleFields,
    delivery_channels: scheduleFields.delivery_channels.default([]),
    email_recipients: scheduleFields.email_recipients.default([]),
    is_active: scheduleFields.is_active.default(true),
    catch_up_policy: scheduleFields.catch_up_policy.default("run_once"),
    catch_up_window_minutes: scheduleFields.catch_up_window_minutes.default(DEFAULT_CATCH_UP_WINDOW_MINUTES),
    overlap_policy: scheduleFields.overlap_policy.default("skip"),
    rules: scheduleFields.rules.default({}),
    scan_scope: scheduleFields.scan_scope.default({}),
    auto_pause_after_failures: scheduleFields.auto_pause_after_failures.default(null),
  })
  .superRefine((v, ctx) => {
    if (!!v.schedule === !!v.frequency)
      ctx.addIssue({ code: "custom", path: ["schedule"], message: "Give either schedule (5-field cron) or frequency, not both" });
    checkChannels(v, ctx);
  });
export type CreateScheduleInput = z.infer<typeof createScheduleSchema>;

/** PATCH: every field optional; channel rules are checked after merging with the stored schedule. */
export const updateScheduleSchema = z
  .strictObject({ ...scheduleFields, ...pauseFields })
  .partial()
  .superRefine((v, ctx) => {
    if (v.schedule && v.frequency)
      ctx.addIssue({ code: "custom", path: ["schedule"], message: "Give either schedule or frequency, not both" });
  });
export type UpdateScheduleInput = z.infer<typeof updateScheduleSchema>;

export const runPreviewSchema = z.object({
  at: z.string(),
  utc: z.string(),
  local: z.string(),
  dst: z.object({ kind: z.enum(["gap_shifted", "ambiguous_first", "offset_changed"]), note: z.string() }).nullable(),
});

export const lastRunSchema = z
  .object({ id: z.string(), status: z.enum(RUN_STATUSES), completed_at: z.string().nullable(), health_score: z.number().nullable() })
  .nullable();

export const scheduleSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  crm_connection_id: z.string(),
  crm_connection: z.object({ id: z.string(), name: z.string(), provider: z.enum(["hubspot", "salesforce", "demo"]) }),
  schedule: z.string(),
  schedule_description: z.string(),
  timezone: z.string(),
  delivery_channels: z.array(z.enum(DELIVERY_CHANNELS)),
  email_recipients: z.array(z.string()),
  /** masked: never the whole URL */
  slack_webhook_url: z.string().nullable(),
  is_active: z.boolean(),
  catch_up_policy: z.enum(["run_once", "skip"]),
  catch_up_window_minutes: z.number(),
  overlap_policy: z.enum(OVERLAP_POLICIES),
  /** slots that were due but never ran on their own (collapsed into a catch-up run, or outside the catch-up window) */
  missed_slots: z.number(),
  auto_pause_after_failures: z.number().nullable(),
  /** set while paused: why, by whom ("system" for auto-pause), since when, and when it resumes by itself */
  pause: z.object({ note: z.string().nullable(), paused_by: z.string().nullable(), paused_at: z.string().nullable(), resume_at: z.string().nullable() }).nullable(),
  /** effective rule settings: what was set, over the defaults */
  rules: z.record(z.string(), z.unknown()),
  scan_scope: z.object({ pipeline_ids: z.array(z.string()), stage_ids: z.array(z.string()), owner_ids: z.array(z.string()), min_amount: z.number().nullable() })
    .describe("Which open deals runs read; empty lists and null min_amount: all open deals"),
  last_run_at: z.string().nullable(),
  /** null while inactive */
  next_run_at: z.string().nullable(),
  /** the next 5 instants from now, ISO with the zone's offset; empty while inactive */
  next_runs: z.array(runPreviewSchema),
  last_run: lastRunSchema,
  created_at: z.string(),
  updated_at: z.string(),
});
export type ScheduleDto = z.infer<typeof scheduleSchema>;

export const scheduleListSchema = z.object({ data: z.array(scheduleSchema), next_cursor: z.string().nullable() });
export const scheduleListQuerySchema = z.strictObject({
  cursor: z.string().max(64).optional(),
  limit: queryInt(1, 100).default(50),
});

/** GET /api/scheduled-reviews/preview?schedule=..&timezone=.. (or frequency fields): the form's live preview. */
export const previewQuerySchema = z
  .strictObject({
    schedule: cronField.optional(),
    every: frequencySchema.shape.every.optional(),
    time: frequencySchema.shape.time.optional(),
    day_of_week: queryInt(0, 6).optional(),
    timezone: timezoneField,
    count: queryInt(1, 20).default(5),
  })
  .refine((q) => !!q.schedule !== !!q.every, { message: "Give schedule or every/time", path: ["schedule"] })
  .refine((q) => !q.every || q.time !== undefined, { message: "time (HH:MM) is required with every", path: ["time"] });

export const previewSchema = z.object({
  schedule: z.string(),
  schedule_description: z.string(),
  timezone: z.string(),
  fixed_time: z.boolean(),
  next_runs: z.array(runPreviewSchema),
});
export type PreviewDto = z.infer<typeof previewSchema>;
export type PreviewQuery = z.infer<typeof previewQuerySchema>;

/** GET /api/crm-connections: the tenant's CRM connections; POST /api/crm-connections/demo adds the Demo CRM. */
export const crmConnectionSchema = z.object({
  id: z.string(),
  name: z.string(),
  provider: z.enum(["demo", "hubspot", "salesforce"]),
  status: z.enum(["active", "expired", "error"]).describe("expired: the CRM no longer accepts the authorization; reconnect"),
  /** Salesforce: the org's API host; never a token (tokens are never returned) */
  instance_url: z.string().nullable().optional(),
  account_id: z.string().nullable().optional().describe("HubSpot hub id or Salesforce organization id"),
  last_tested_at: z.string().nullable().optional(),
  last_test_ok: z.boolean().nullable().optional(),
  last_test_message: z.string().nullable().optional(),
});
export type CrmConnectionDto = z.infer<typeof crmConnectionSchema>;
export const crmConnectionListSchema = z.object({ data: z.array(crmConnectionSchema) });

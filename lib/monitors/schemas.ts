import { z } from "zod";
import { validateCron } from "@/lib/schedules/cron";
import { queryInt } from "@/lib/schedules/schemas";
import { canonicalZone, suggestZone } from "@/lib/tz/names";

// The public contract of /api/monitors (snake_case JSON): monitors for jobs that run elsewhere and
// report their executions. Shared by the route handlers, the OpenAPI document and the client.

export const MONITOR_STATES = ["new", "up", "late", "down", "paused"] as const;
export type MonitorState = (typeof MONITOR_STATES)[number];
export const EXECUTION_STATUSES = ["running", "success", "failed", "partial"] as const;

const DAY_S = 86_400;
const int = (min: number, max: number) => z.number().int().min(min).max(max);
const cronField = z.string().trim().superRefine((v, ctx) => {
  const problem = validateCron(v);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
}).meta({ description: "5-field cron the job is expected to run on, in `timezone`", examples: ["0 3 * * *"] });
const zoneField = z.string().superRefine((v, ctx) => {
  if (canonicalZone(v)) return;
  const hint = suggestZone(v);
  ctx.addIssue({ code: "custom", message: `Unknown IANA time zone${hint ? `; did you mean "${hint}"?` : ""}` });
}).overwrite((v) => canonicalZone(v) ?? v);

const fields = {
  name: z.string().trim().min(1, "Name is required").max(120),
  description: z.string().max(1000).nullable().optional(),
  schedule: cronField.nullable().optional(),
  timezone: zoneField.optional().meta({ description: "IANA zone of `schedule` (default UTC)" }),
  period_seconds: int(60, 31 * DAY_S).nullable().optional().meta({ description: "Expected every this many seconds (instead of a schedule)" }),
  grace_seconds: int(0, 7 * DAY_S).optional().meta({ description: "How long after the expected time a run may start before the monitor is down (late until then). Default 300" }),
  max_runtime_seconds: int(1, 7 * DAY_S).nullable().optional().meta({ description: "A started run not finished within this is down" }),
};

const oneExpectation = (v: { schedule?: string | null; period_seconds?: number | null }, ctx: z.RefinementCtx) => {
  if (v.schedule && v.period_seconds) ctx.addIssue({ code: "custom", path: ["period_seconds"], message: "Give a schedule or a period, not both" });
};

export const createMonitorSchema = z.strictObject(fields).superRefine(oneExpectation);
export const updateMonitorSchema = z.strictObject({ ...fields, name: fields.name.optional(), is_active: z.boolean().optional().meta({ description: "false pauses the monitor" }) })
  .superRefine(oneExpectation);
export type CreateMonitor = z.infer<typeof createMonitorSchema>;
export type UpdateMonitor = z.infer<typeof updateMonitorSchema>;

const executionSchema = z.object({
  id: z.string(),
  run_id: z.string().nullable(),
  status: z.enum(EXECUTION_STATUSES),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  duration_ms: z.number().int().nullable(),
  workflow_name: z.string().nullable(),
  failed_action_id: z.string().nullable(),
  failed_action_name: z.string().nullable(),
  error_message: z.string().nullable(),
  received_at: z.string(),
});
export type ExecutionDto = z.infer<typeof executionSchema>;

export const metricsSchema = z.object({
  total: z.number().int().describe("finished executions"),
  succeeded: z.number().int(),
  failed: z.number().int(),
  partial: z.number().int(),
  running: z.number().int(),
  failure_rate_pct: z.number().nullable().describe("failed / finished x 100, one decimal; null with none finished"),
  avg_duration_ms: z.number().int().nullable(),
  p95_duration_ms: z.number().int().nullable().describe("nearest-rank 95th percentile of finished durations"),
  last_failure: executionSchema.nullable(),
  trend: z.array(z.object({ date: z.string(), total: z.number().int(), failed: z.number().int() })).describe("the last 7 UTC days, oldest first"),
  recent_failures: z.array(executionSchema).describe("at most 10, newest first"),
});
export type MonitorMetrics = z.infer<typeof metricsSchema>;

export const monitorSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  schedule: z.string().nullable(),
  timezone: z.string().nullable(),
  period_seconds: z.number().int().nullable(),
  grace_seconds: z.number().int(),
  max_runtime_seconds: z.number().int().nullable(),
  is_active: z.boolean(),
  state: z.enum(MONITOR_STATES).describe("new: never reported; late: the expected run has not started (within grace); down: failed, missed (grace over) or over its max runtime; paused"),
  next_expected_at: z.string().nullable(),
  ingest_url: z.string(),
  token_masked: z.string(),
  created_at: z.string(),
  metrics: metricsSchema,
});
export type MonitorDto = z.infer<typeof monitorSchema>;
export const monitorListSchema = z.object({ monitors: z.array(monitorSchema), next_cursor: z.string().nullable().describe("pass as ?cursor= for the next page; null on the last") });
export const monitorListQuerySchema = z.strictObject({
  cursor: z.string().max(64).optional(),
  limit: queryInt(1, 200).default(50),
});
export type MonitorListQuery = z.infer<typeof monitorListQuerySchema>;
export const createdMonitorSchema = monitorSchema.extend({
  ingest_token: z.string().describe("Send as the Revwatch-Monitor-Token header; shown in this response only"),
});

/** Limits of one report: the body and each string are bounded (413 / 400 beyond them). */
export const INGEST_MAX_BYTES = 8 * 1024;
const text = (max: number) => z.string().max(max).nullable().optional();
const instant = z.iso.datetime({ offset: true }).nullable().optional();

export const ingestSchema = z.strictObject({
  status: z.enum(["started", "success", "failed", "partial"]).meta({ description: "started opens a run (give run_id); the others finish one" }),
  run_id: z.string().regex(/^[\x21-\x7e]{1,128}$/, "1-128 visible ASCII characters").nullable().optional()
    .meta({ description: "The job's own id for this run: a start and its finish pair on it, and a repeated report is stored once" }),
  started_at: instant,
  finished_at: instant,
  execution_time_ms: int(0, 7 * DAY_S * 1000).nullable().optional(),
  workflow_name: text(200),
  failed_action_id: text(200),
  failed_action_name: text(200),
  error_message: text(2000),
}).superRefine((v, ctx) => {
  if (v.status === "started" && !v.run_id) ctx.addIssue({ code: "custom", path: ["run_id"], message: "A start needs the run_id its finish will report" });
  if (v.started_at && v.finished_at && Date.parse(v.finished_at) < Date.parse(v.started_at))
    ctx.addIssue({ code: "custom", path: ["finished_at"], message: "Must not be before started_at" });
});
export type IngestBody = z.infer<typeof ingestSchema>;
export const ingestResultSchema = z.object({ execution: executionSchema, duplicate: z.boolean().describe("true: this run_id was already recorded; nothing changed") });

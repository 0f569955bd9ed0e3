import { z } from "zod";
import { ALERT_OPERATIONS } from "@/lib/alerts/openapi";
import { executorHealthSchema } from "@/lib/executor";
import { MAX_BULK_REPLAY, bulkReplayBodySchema, bulkReplayResultSchema, replayResultSchema } from "@/lib/runs/replay-schemas";
import { auditListQuerySchema, auditListSchema } from "@/lib/audit/schemas";
import { ERROR_CODES, type ErrorCode } from "@/lib/errors";
import { HTTP_STATUS } from "@/lib/http";
import { doctorReportSchema, healthQuerySchema } from "@/lib/monitoring/doctor-schemas";
import { MONITORING_OPERATIONS } from "@/lib/monitoring/openapi";
import { CRM_OPERATIONS } from "@/lib/crm/openapi";
import { MONITOR_OPERATIONS } from "@/lib/monitors/openapi";
import { PLANS } from "@/lib/plans";
import { ROLES, type Role } from "@/lib/roles";
import { analysisSchema, findingPageQuerySchema, findingPageSchema } from "@/lib/runs/analysis-schemas";
import { runListQuerySchema, runListSchema, runSchema } from "@/lib/runs/schemas";
import { schedulerStatusSchema } from "@/lib/scheduler/schemas";
import { upcomingQuerySchema, upcomingSchema } from "@/lib/schedules/upcoming-schemas";
import {
  createScheduleSchema,
  crmConnectionListSchema,
  crmConnectionSchema,
  previewQuerySchema,
  previewSchema,
  scheduleListQuerySchema,
  scheduleListSchema,
  scheduleSchema,
  updateScheduleSchema,
} from "@/lib/schedules/schemas";
import { updateWorkspaceSchema, workspaceSchema } from "@/lib/workspace/schemas";

// The OpenAPI 3.1 document of the public API, generated from the same zod schemas the route
// handlers parse with. To document a route, add one entry to OPERATIONS; its error responses are
// generated from lib/errors.ts (the codes) and lib/http.ts (their statuses): the codes implied by
// auth, body, query and path parameters, plus the ones the entry declares.

type Method = "get" | "post" | "put" | "patch" | "delete";
type Named = { name: string; schema: z.ZodType };
const named = (name: string, schema: z.ZodType): Named => ({ name, schema });

export type OperationSpec = {
  method: Method;
  /** OpenAPI template, e.g. /api/scheduled-reviews/{id}; {params} become required path parameters */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  description?: string;
  /** "none" for public endpoints; default: Clerk session token as Bearer */
  auth?: "bearer" | "none";
  query?: z.ZodObject;
  /** request headers the operation reads (beyond Authorization) */
  headers?: { name: string; description: string; schema: z.ZodType }[];
  body?: Named;
  responses: Record<number, { description: string; body?: Named }>;
  /** error codes beyond the ones implied by auth, body, query and path parameters */
  errors?: ErrorCode[];
  /**
   * The organization role the route's withAuth requires (members read, run now and replay; admins also
   * create, change and delete). Every mutating operation must declare it (tests/unit/openapi.test.ts);
   * "admin" implies 403 forbidden for members.
   */
  role?: Role;
};

/** Shape of every 4xx/5xx body (lib/http.ts errorResponse). */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]).describe("stable machine-readable code (the closed set in lib/errors.ts)"),
    message: z.string().describe("human-readable explanation"),
    details: z
      .union([
        z.array(z.object({ path: z.string(), message: z.string(), code: z.string() })),
        z.record(z.string(), z.unknown()),
      ])
      .optional()
      .describe("validation_error: one entry per problem field; other codes: context such as run_id or retry_after_seconds"),
  }),
});

// Routes without their own contract module: documented here.
const meSchema = z.object({ owner_id: z.string(), user_id: z.string(), org_id: z.string().nullable(), plan: z.enum(PLANS), role: z.enum(ROLES) });
const tzDatabaseSchema = z.object({ version: z.string().meta({ examples: ["2026f"] }), source: z.string().meta({ examples: ["moment-timezone@0.6.6"] }) })
  .meta({ description: "The IANA tz database release schedules run on (not the runtime's ICU)" });
const healthSchema = z.object({ status: z.enum(["ok", "degraded"]), database: z.enum(["ok", "unreachable"]), executor: executorHealthSchema, tz_database: tzDatabaseSchema });

const schedule = named("ScheduledReview", scheduleSchema);
const idPath = "/api/scheduled-reviews/{id}";

export const OPERATIONS: OperationSpec[] = [
  { method: "get", path: "/api/health", operationId: "getHealth", tag: "system", summary: "Liveness and database check; with detail=1 the doctor's report", auth: "none",
    description: "Public liveness check. With detail=1 it needs a session and answers npm run doctor's checks (tz database, environment per feature with secrets masked, database and migrations, executor and synced functions, the scheduler's heartbeat) with the caller's own backlog and coverage; 200 either way, `status` says whether something needs attention.",
    query: healthQuerySchema, errors: ["unauthorized"],
    responses: { 200: { description: "Healthy, or the doctor's report (detail=1)", body: named("HealthOrDoctorReport", z.union([healthSchema, doctorReportSchema])) }, 503: { description: "Database unreachable", body: named("Health", healthSchema) } } },
  { method: "get", path: "/api/me", operationId: "getMe", tag: "system", summary: "The tenant the token resolves to",
    responses: { 200: { description: "The caller", body: named("Me", meSchema) } } },
  { method: "get", path: "/api/openapi.json", operationId: "getOpenApi", tag: "system", summary: "This document", auth: "none",
    responses: { 200: { description: "OpenAPI 3.1 document" } } },
  ...(["get", "post", "put"] as const).map((method): OperationSpec => ({
    method, path: "/api/inngest", operationId: `inngest${method[0]!.toUpperCase()}${method.slice(1)}`, tag: "internal", auth: "none",
    summary: "Inngest serve endpoint (introspection, step execution, sync)",
    description: "Called by the Inngest executor, not by API clients; requests are signed in production.",
    responses: { 200: { description: "Inngest protocol response" } },
  })),
  { method: "get", path: "/api/scheduler/status", operationId: "getSchedulerStatus", tag: "system", summary: "Scheduler health and the tenant's upcoming runs",
    description: "The heartbeat (running, ticks, durations, failures, down periods) describes the shared scheduler, never what it dispatched for other tenants; active_schedules, next_runs, stuck_runs and missed_while_down are the caller's own.",
    responses: { 200: { description: "Scheduler status", body: named("SchedulerStatus", schedulerStatusSchema) } } },
  { method: "get", path: "/api/crm-connections", operationId: "listCrmConnections", tag: "crm", summary: "The tenant's CRM connections",
    description: "A read: it creates nothing. A new tenant's list is empty until it signs up (local sign-in) or POSTs /api/crm-connections/demo.",
    responses: { 200: { description: "Connections", body: named("CrmConnectionList", crmConnectionListSchema) } } },
  { method: "post", path: "/api/crm-connections/demo", operationId: "connectDemoCrm", tag: "crm", summary: "Use the Demo CRM (idempotent)",
    description: "Creates the tenant's Demo CRM connection (realistic, deterministic deals), or returns the one it has.", role: "admin",
    responses: { 201: { description: "Created", body: named("CrmConnection", crmConnectionSchema) }, 200: { description: "Already connected", body: named("CrmConnection", crmConnectionSchema) } } },
  { method: "get", path: "/api/scheduled-reviews", operationId: "listScheduledReviews", tag: "schedules", summary: "The tenant's scheduled reviews",
    query: scheduleListQuerySchema, errors: ["invalid_cursor"],
    responses: { 200: { description: "A page of schedules, newest first, each with its last run and next runs; pass next_cursor as cursor for the next", body: named("ScheduledReviewList", scheduleListSchema) } } },
  { method: "post", path: "/api/scheduled-reviews", operationId: "createScheduledReview", tag: "schedules", summary: "Create a scheduled review",
    description: "Give either `schedule` (5-field cron) or `frequency`. Needs the Team plan. The Slack webhook is stored encrypted and only ever returned masked. "
      + "`scan_scope` (ids from GET /api/crm-connections/{id}/options) limits which open deals runs read; its ids are checked against the CRM live. "
      + "Safe to retry with an `Idempotency-Key` header: the same key and body within 24 hours answer the first response again (header `Idempotent-Replayed: true`) and create nothing; "
      + "the same key with another body is 422 `idempotency_key_reused`. Keys are per tenant; a create that failed stores nothing, so its retry runs again.",
    headers: [{ name: "Idempotency-Key", description: "Any unique string of 1-255 visible ASCII characters (a UUID, for example), one per intended create", schema: z.string().min(1).max(255) }],
    body: named("CreateScheduledReview", createScheduleSchema), errors: ["plan_required", "plan_limit", "not_found", "idempotency_key_reused", "crm_unreachable"], role: "admin",
    responses: { 201: { description: "Created", body: schedule } } },
  { method: "get", path: "/api/scheduled-reviews/preview", operationId: "previewSchedule", tag: "schedules", summary: "Next runs of a cron or preset in a time zone",
    description: "Give `schedule`, or `every` + `time` (+ `day_of_week` for weekly). DST shifts are marked per run.",
    query: previewQuerySchema, responses: { 200: { description: "Preview", body: named("SchedulePreview", previewSchema) } } },
  { method: "get", path: "/api/scheduled-reviews/upcoming", operationId: "listUpcomingRuns", tag: "schedules", summary: "Upcoming runs across all schedules",
    description: "Every run of the tenant's active schedules from now to `days` ahead (default 7), soonest first, computed with the schedules' cron and time zone on the project's tz database. "
      + "`dst` marks a run that a DST change moved (a slot in a spring-forward gap, an ambiguous time, or the first run after the offset changed).",
    query: upcomingQuerySchema, responses: { 200: { description: "Upcoming runs", body: named("UpcomingRuns", upcomingSchema) } } },
  { method: "get", path: idPath, operationId: "getScheduledReview", tag: "schedules", summary: "One scheduled review",
    responses: { 200: { description: "The schedule", body: schedule } } },
  { method: "patch", path: idPath, operationId: "updateScheduledReview", tag: "schedules", summary: "Update a scheduled review (partial)",
    description: "Channel rules are checked on the merged result. A change of cron, timezone or is_active recomputes next_run_at. `slack_webhook_url: null` clears the webhook; `rules` replaces the stored rule settings. Activating needs the Team plan.",
    body: named("UpdateScheduledReview", updateScheduleSchema), errors: ["plan_required", "plan_limit", "conflict", "crm_unreachable"], role: "admin",
    responses: { 200: { description: "The updated schedule", body: schedule } } },
  { method: "delete", path: idPath, operationId: "deleteScheduledReview", tag: "schedules", summary: "Delete a scheduled review and its run history",
    description: "Deletes the schedule with its runs, deliveries and analyses in one transaction. Alerts are kept, detached from the schedule.", role: "admin",
    responses: { 204: { description: "Deleted" } } },
  { method: "post", path: `${idPath}/run-now`, operationId: "runScheduledReviewNow", tag: "runs", summary: "Queue a manual run now",
    errors: ["run_in_progress", "rate_limited", "executor_unreachable"], role: "member", responses: { 202: { description: "Queued", body: named("RunNowResult", z.object({ run: runSchema })) } } },
  { method: "get", path: `${idPath}/runs`, operationId: "listScheduleRuns", tag: "runs", summary: "A schedule's runs, newest first (cursor paging)",
    query: runListQuerySchema, errors: ["invalid_cursor"], responses: { 200: { description: "A page of runs; pass next_cursor as cursor for the next", body: named("RunList", runListSchema) } } },
  { method: "get", path: "/api/runs/{id}", operationId: "getRun", tag: "runs", summary: "One run with its deliveries",
    responses: { 200: { description: "The run", body: named("Run", runSchema) } } },
  { method: "post", path: "/api/runs/{id}/replay", operationId: "replayRun", tag: "runs", summary: "Re-run a failed run as itself",
    description: "The same run (same slot) goes back to queued with trigger replay and runs again. Deliveries an earlier execution already sent are not sent again (recorded as skipped, error_code already_sent).",
    errors: ["run_not_failed", "rate_limited", "executor_unreachable"], role: "member", responses: { 202: { description: "Queued again", body: named("ReplayResult", replayResultSchema) } } },
  { method: "post", path: `${idPath}/replay-failed`, operationId: "replayFailedRuns", tag: "runs", summary: "Re-run the schedule's failed runs in a range of slots",
    description: `Each failed run whose slot (scheduled_for) is in [from, to) is replayed once, at most ${MAX_BULK_REPLAY} per request (remaining says how many are left).`,
    body: named("BulkReplayRequest", bulkReplayBodySchema), errors: ["rate_limited", "executor_unreachable"], role: "member",
    responses: { 202: { description: "Queued again", body: named("BulkReplayResult", bulkReplayResultSchema) } } },
  { method: "get", path: "/api/analysis/{id}", operationId: "getAnalysis", tag: "runs", summary: "One analysis with its findings and the change since the previous run",
    responses: { 200: { description: "The analysis", body: named("Analysis", analysisSchema) } } },
  { method: "get", path: "/api/analysis/{id}/findings", operationId: "listAnalysisFindings", tag: "runs", summary: "Every finding of an analysis, by deal then rule (cursor paging)",
    query: findingPageQuerySchema, errors: ["invalid_cursor"], responses: { 200: { description: "A page of findings; pass next_cursor as cursor for the next", body: named("FindingPage", findingPageSchema) } } },
  ...CRM_OPERATIONS,
  { method: "get", path: "/api/audit", operationId: "listAuditEvents", tag: "system", summary: "The workspace's audit trail, newest first (cursor paging)",
    description: "Who created, changed, paused, resumed, deleted, ran or replayed what and when; `schedule_id` narrows it to one schedule (its Activity list). Actor \"system\" is the resume cron or auto-pause.",
    query: auditListQuerySchema, errors: ["invalid_cursor", "not_found"],
    responses: { 200: { description: "A page of events; pass next_cursor as cursor for the next", body: named("AuditEventList", auditListSchema) } } },
  { method: "get", path: "/api/workspace", operationId: "getWorkspace", tag: "system", summary: "The plan's limits, the workspace's usage and its retention",
    responses: { 200: { description: "The workspace", body: named("Workspace", workspaceSchema) } } },
  { method: "patch", path: "/api/workspace", operationId: "updateWorkspace", tag: "system", summary: "Set the run history retention (at most the plan's)",
    description: "Runs with their analyses and deliveries older than run_retention_days are pruned by a daily job and kept as daily aggregates. Beyond the plan's maximum (free 30, team 180, business 730 days) is 402 plan_limit.",
    body: named("UpdateWorkspace", updateWorkspaceSchema), errors: ["plan_limit"], role: "admin",
    responses: { 200: { description: "The workspace", body: named("Workspace", workspaceSchema) } } },
  ...MONITORING_OPERATIONS,
  ...ALERT_OPERATIONS,
  ...MONITOR_OPERATIONS,
];

type JsonSchema = Record<string, unknown>;

function toJsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  // Requests document what clients may send (defaults make fields optional); responses what they get.
  const json: JsonSchema = { ...z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) };
  delete json.$schema; // the document's dialect (3.1 = 2020-12) already says it
  return json;
}

const pathParams = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

const BODY_ERRORS: ErrorCode[] = ["validation_error", "invalid_json", "invalid_body", "payload_too_large", "unsupported_media_type"];

/** The operation's possible error codes, grouped by HTTP status. */
function errorCodesByStatus(op: OperationSpec): Map<number, ErrorCode[]> {
  const codes = new Set<ErrorCode>(["internal_error", ...(op.errors ?? [])]);
  if (op.auth !== "none") codes.add("unauthorized");
  if (op.role === "admin") codes.add("forbidden");
  if (op.query) codes.add("validation_error");
  if (op.body) BODY_ERRORS.forEach((c) => codes.add(c));
  if (pathParams(op.path).length) codes.add("not_found");
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
    if (!codes.has(code)) continue;
    const status = HTTP_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return byStatus;
}

function errorResponseFor(codes: ErrorCode[]) {
  return {
    description: codes.map((c) => `\`${c}\`: ${ERROR_CODES[c]}`).join(". "),
    content: {
      "application/json": {
        schema: { allOf: [{ $ref: "#/components/schemas/Error" }, { properties: { error: { properties: { code: { enum: codes } } } } }] },
      },
    },
  };
}

export function buildOpenApiDocument(operations: readonly OperationSpec[] = OPERATIONS) {
  const schemas: Record<string, JsonSchema> = { Error: toJsonSchema(errorBodySchema, "output") };
  const seen = new Map<string, z.ZodType>();
  const ref = ({ name, schema }: Named, io: "input" | "output") => {
    const prior = seen.get(name);
    if (prior && prior !== schema) throw new Error(`OpenAPI: two different schemas named ${name}`);
    seen.set(name, schema);
    schemas[name] ??= toJsonSchema(schema, io);
    return { $ref: `#/components/schemas/${name}` };
  };

  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const query = op.query ? toJsonSchema(op.query, "input") : null;
    const required = new Set((query?.required as string[] | undefined) ?? []);
    const parameters = [
      ...pathParams(op.path).map((name) => ({ name, in: "path", required: true, schema: { type: "string" } })),
      ...(op.headers ?? []).map((h) => ({ name: h.name, in: "header", required: false, description: h.description, schema: toJsonSchema(h.schema, "input") })),
      ...Object.entries((query?.properties as Record<string, JsonSchema> | undefined) ?? {}).map(([name, schema]) => ({
        name, in: "query", required: required.has(name), schema, ...(schema.description ? { description: schema.description } : {}),
      })),
    ];
    const ok = Object.fromEntries(
      Object.entries(op.responses).map(([status, r]) => [
        status,
        { description: r.description, ...(r.body ? { content: { "application/json": { schema: ref(r.body, "output") } } } : {}) },
      ]),
    );
    const errors = Object.fromEntries(
      [...errorCodesByStatus(op)].filter(([status]) => !(status in ok)).map(([status, codes]) => [String(status), errorResponseFor(codes)]),
    );
    (paths[op.path] ??= {})[op.method] = {
      operationId: op.operationId,
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      tags: [op.tag],
      ...(op.role ? { "x-required-role": op.role } : {}),
      security: op.auth === "none" ? [] : [{ bearerAuth: [] }],
      ...(parameters.length ? { parameters } : {}),
      ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: ref(op.body, "input") } } } } : {}),
      responses: { ...ok, ...errors },
    };
  }

  return {
    openapi: "3.1.0",
    info: {
      title: "Revwatch API",
      version: "1.0.0",
      description: "Scheduled CRM pipeline reviews. JSON is snake_case; errors are { error: { code, message, details? } }.",
    },
    servers: [{ url: "/" }],
    security: [{ bearerAuth: [] }],
    tags: ["schedules", "runs", "monitoring", "crm", "system", "internal"].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "Clerk session token" } },
      schemas,
      // Every error response is inline: its description and code enum list the operation's own codes.
      responses: {} as Record<string, unknown>,
    },
  };
}

import type { OperationSpec } from "@/lib/openapi";
import { dailyQuerySchema, dailySchema } from "@/lib/retention/daily-schemas";
import { coverageRangeFields, coverageSchema, monitoringQuerySchema, monitoringSchema, repairResultSchema } from "@/lib/monitoring/schemas";

// The monitoring routes' entries in the OpenAPI document (lib/openapi.ts adds them to OPERATIONS).
export const MONITORING_OPERATIONS: OperationSpec[] = [
  { method: "get", path: "/api/monitoring/daily", operationId: "getDailyHistory", tag: "monitoring", summary: "Runs per UTC day over long windows (up to 730 days)",
    description: "Counts by status, the mean health score and run durations (mean, p50, p95, max) per day, for the workspace or one schedule. Days whose runs were pruned by retention are read from the daily aggregates kept in their place (source aggregate); their percentiles are the stored ones (exact per schedule; across schedules, weighted by runs: duration_exact false).",
    query: dailyQuerySchema, errors: ["not_found"], responses: { 200: { description: "One point per day with runs", body: { name: "DailyHistory", schema: dailySchema } } } },
  { method: "get", path: "/api/monitoring", operationId: "getMonitoring", tag: "monitoring", summary: "Success rate, durations, deliveries, error groups, backlog and trend over a window",
    description: "For the caller's workspace, or one schedule (schedule_id). Runs count in the window by when they were queued; the backlog is now.",
    query: monitoringQuerySchema, errors: ["not_found"], responses: { 200: { description: "The report", body: { name: "MonitoringReport", schema: monitoringSchema } } } },
  { method: "get", path: "/api/monitoring/coverage", operationId: "getCoverage", tag: "monitoring", summary: "Expected slots against completed runs (coverage postcheck)",
    description: "Every slot each active schedule should have run in [from, to] (up to 5 minutes ago), against the runs that completed. HEALTHY at >= 95 %. At most 31 days.",
    query: coverageRangeFields, responses: { 200: { description: "Coverage", body: { name: "Coverage", schema: coverageSchema } } } },
  { method: "post", path: "/api/monitoring/coverage/repair", operationId: "repairCoverage", tag: "monitoring", summary: "Queue one repair run per missing slot",
    description: "Slots with no run at all, of schedules whose catch-up policy is run_once; idempotent on the slot (two concurrent repairs queue each slot once); at most 100 per call.",
    body: { name: "CoverageRange", schema: coverageRangeFields }, errors: ["rate_limited", "executor_unreachable"], role: "member",
    responses: { 202: { description: "Queued", body: { name: "CoverageRepair", schema: repairResultSchema } } } },
];

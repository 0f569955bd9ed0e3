import { z } from "zod";
import type { OperationSpec } from "@/lib/openapi";
import { createdMonitorSchema, createMonitorSchema, ingestResultSchema, ingestSchema, INGEST_MAX_BYTES, monitorListQuerySchema, monitorListSchema, monitorSchema, updateMonitorSchema } from "@/lib/monitors/schemas";

// The monitor routes' entries in the OpenAPI document (lib/openapi.ts adds them to OPERATIONS).
const monitor = { name: "Monitor", schema: monitorSchema };
const ingest = { name: "ExecutionReport", schema: ingestSchema };

export const MONITOR_OPERATIONS: OperationSpec[] = [
  { method: "get", path: "/api/monitors", operationId: "listMonitors", tag: "monitors", summary: "The workspace's monitors with state and metrics, a page at a time",
    query: monitorListQuerySchema, errors: ["invalid_cursor"],
    responses: { 200: { description: "A page of monitors, newest first; pass next_cursor as cursor for the next", body: { name: "MonitorList", schema: monitorListSchema } } } },
  { method: "post", path: "/api/monitors", operationId: "createMonitor", role: "admin", tag: "monitors", summary: "Create a monitor for a job that runs elsewhere",
    description: "Optionally with the schedule it is expected on (cron + zone) or a period, a grace time and a max runtime. The answer has the ingest token, shown this once.",
    body: { name: "CreateMonitor", schema: createMonitorSchema }, responses: { 201: { description: "Created", body: { name: "CreatedMonitor", schema: createdMonitorSchema } } } },
  { method: "get", path: "/api/monitors/{id}", operationId: "getMonitor", tag: "monitors", summary: "One monitor: state, next expected run, metrics, recent failures",
    responses: { 200: { description: "The monitor", body: monitor } } },
  { method: "patch", path: "/api/monitors/{id}", operationId: "updateMonitor", role: "admin", tag: "monitors", summary: "Change or pause a monitor (partial)",
    body: { name: "UpdateMonitor", schema: updateMonitorSchema }, responses: { 200: { description: "The monitor", body: monitor } } },
  { method: "delete", path: "/api/monitors/{id}", operationId: "deleteMonitor", role: "admin", tag: "monitors", summary: "Delete a monitor and its executions",
    responses: { 204: { description: "Deleted" } } },
  { method: "post", path: "/api/monitors/{id}/executions", operationId: "reportExecution", tag: "monitors", auth: "none",
    summary: "Report an execution (the monitor's token, no session)",
    description: `Authenticated by the Revwatch-Monitor-Token header (a wrong token or unknown monitor: 401, nothing stored). Body at most ${INGEST_MAX_BYTES} bytes (413). `
      + "`started` then `success`/`failed`/`partial` with the same run_id pair into one execution; a repeated run_id is stored once (200, duplicate: true). 60 reports a minute per monitor.",
    headers: [{ name: "Revwatch-Monitor-Token", description: "The monitor's ingest token", schema: z.string() }],
    body: ingest, errors: ["unauthorized", "rate_limited"],
    responses: { 201: { description: "Recorded", body: { name: "ExecutionRecorded", schema: ingestResultSchema } }, 200: { description: "Already recorded (same run_id)", body: { name: "ExecutionRecorded", schema: ingestResultSchema } } } },
];

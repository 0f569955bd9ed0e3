import type { OperationSpec } from "@/lib/openapi";
import {
  alertListQuerySchema,
  alertListSchema,
  alertSchema,
  alertSettingsSchema,
  testAlertResultSchema,
  updateAlertSchema,
  updateAlertSettingsSchema,
} from "@/lib/alerts/schemas";

// The alert routes' entries in the OpenAPI document (lib/openapi.ts adds them to OPERATIONS).
const alert = { name: "Alert", schema: alertSchema };
const settings = { name: "AlertSettings", schema: alertSettingsSchema };

export const ALERT_OPERATIONS: OperationSpec[] = [
  { method: "get", path: "/api/alerts", operationId: "listAlerts", tag: "alerts", summary: "The workspace's alerts, open first, newest first (cursor paging)",
    description: "A page of alerts (limit, default 25), each with its joined rules and its notifications with their delivery status; pass next_cursor as cursor for the next page.",
    query: alertListQuerySchema, errors: ["invalid_cursor"], responses: { 200: { description: "Alerts", body: { name: "AlertList", schema: alertListSchema } } } },
  { method: "get", path: "/api/alerts/{id}", operationId: "getAlert", tag: "alerts", summary: "One alert with its timeline of notifications",
    responses: { 200: { description: "The alert", body: alert } } },
  { method: "patch", path: "/api/alerts/{id}", operationId: "updateAlert", role: "member", tag: "alerts", summary: "Acknowledge, mute or resolve an alert",
    description: "Acknowledging stops re-notification (the recovery is still sent). Muting silences every message about the alert until muted_until. Resolving by hand sends the recovery at once.",
    body: { name: "UpdateAlert", schema: updateAlertSchema }, responses: { 200: { description: "The alert", body: alert } } },
  { method: "get", path: "/api/alerts/settings", operationId: "getAlertSettings", tag: "alerts", summary: "Alert rules, channels and noise controls",
    description: "Defaults until saved. Webhook URLs and the signing secret are only ever returned masked.",
    responses: { 200: { description: "Settings", body: settings } } },
  { method: "put", path: "/api/alerts/settings", operationId: "updateAlertSettings", role: "admin", tag: "alerts", summary: "Replace the alert settings",
    description: "Webhooks must be https to a public host (checked again at send time). The first webhook, or rotate_webhook_secret: true, creates a new signing secret, returned whole in this response only (webhook_secret); a rotated secret signs every webhook from then on. A compare-and-set: of two concurrent writes one lands, the other answers 409 conflict (its secret is never stored).",
    errors: ["conflict"], body: { name: "UpdateAlertSettings", schema: updateAlertSettingsSchema }, responses: { 200: { description: "Settings", body: settings } } },
  { method: "post", path: "/api/alerts/test", operationId: "sendTestAlert", role: "admin", tag: "alerts", summary: "Send a test alert to every channel",
    description: "One attempt per channel, reported per channel (sent or failed with the provider's error). 5 per minute per workspace.",
    errors: ["rate_limited"], responses: { 200: { description: "Per-channel results", body: { name: "TestAlertResult", schema: testAlertResultSchema } } } },
];

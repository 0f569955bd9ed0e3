import type { AuditEntry } from "@/lib/audit/record";
import { PROVIDER_LABEL } from "@/lib/crm/providers";

// Audit rows of changes made outside the schedules (alert settings, monitors, CRM connections): built here so the
// domains that make the change only add one recordAudit call in their transaction. Field names only,
// never values that may hold secrets (webhook URLs, tokens).

const givenFields = (body: object) => Object.entries(body).filter(([, v]) => v !== undefined).map(([k]) => k);

/**
 * PUT /api/alerts/settings: the settings that really changed (the API view before and after, secrets
 * and timestamps left out), and a rotated webhook signing secret as its own row.
 */
export function alertSettingsAudit(ownerId: string, actorId: string, before: object, after: object, rotated: boolean): AuditEntry[] {
  const base = { ownerId, actorId, targetType: "alert_settings" as const, targetId: ownerId };
  const was = before as Record<string, unknown>;
  const fields = Object.entries(after)
    .filter(([k, v]) => !UNAUDITED_SETTINGS.has(k) && JSON.stringify(v) !== JSON.stringify(was[k]))
    .map(([k]) => k);
  return [
    { ...base, action: "alerts.settings_updated", summary: `Changed the alert settings (${fields.join(", ") || "nothing"})`, details: { fields } },
    ...(rotated ? [{ ...base, action: "alerts.webhook_secret_rotated" as const, summary: "Rotated the alert webhook signing secret" }] : []),
  ];
}
const UNAUDITED_SETTINGS = new Set(["webhook_secret", "webhook_secret_masked", "updated_at"]);

/** A CRM connection made (OAuth callback, the Demo CRM action) or reconnected. */
export function crmConnectionAudit(
  ownerId: string, actorId: string, action: "crm.connected" | "crm.reconnected", provider: keyof typeof PROVIDER_LABEL, connection: { id: string; name: string },
): AuditEntry {
  return {
    ownerId, actorId, action, targetType: "crm_connection", targetId: connection.id,
    summary: `${action === "crm.connected" ? "Connected" : "Reconnected"} ${PROVIDER_LABEL[provider]} "${connection.name}"`, details: { provider },
  };
}

type MonitorAction = "monitor.created" | "monitor.updated" | "monitor.deleted";
const VERB: Record<MonitorAction, string> = { "monitor.created": "Created", "monitor.updated": "Changed", "monitor.deleted": "Deleted" };

export function monitorAudit(ownerId: string, actorId: string, action: MonitorAction, monitor: { id: string; name: string }, body?: object): AuditEntry {
  const fields = body ? givenFields(body) : undefined;
  return {
    ownerId, actorId, action, targetType: "monitor", targetId: monitor.id,
    summary: `${VERB[action]} monitor "${monitor.name}"${action === "monitor.updated" ? ` (${fields?.join(", ") || "nothing"})` : ""}`,
    ...(fields ? { details: { fields } } : {}),
  };
}

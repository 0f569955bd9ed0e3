import type { AuditEntry } from "@/lib/audit/record";

// Audit rows of changes made outside the schedules (alert settings, monitors): built here so the
// domains that make the change only add one recordAudit call in their transaction. Field names only,
// never values that may hold secrets (webhook URLs, tokens).

const givenFields = (body: object) => Object.entries(body).filter(([, v]) => v !== undefined).map(([k]) => k);

/** PUT /api/alerts/settings: the change, and a rotated webhook signing secret as its own row. */
export function alertSettingsAudit(ownerId: string, actorId: string, body: object, rotated: boolean): AuditEntry[] {
  const base = { ownerId, actorId, targetType: "alert_settings" as const, targetId: ownerId };
  const fields = givenFields(body).filter((f) => f !== "rotate_webhook_secret");
  return [
    { ...base, action: "alerts.settings_updated", summary: `Changed the alert settings (${fields.join(", ") || "nothing"})`, details: { fields } },
    ...(rotated ? [{ ...base, action: "alerts.webhook_secret_rotated" as const, summary: "Rotated the alert webhook signing secret" }] : []),
  ];
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

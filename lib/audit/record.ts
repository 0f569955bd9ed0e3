import "server-only";
import type { Prisma } from "@/lib/db";
import type { AuditAction } from "@/lib/audit/schemas";

// Writing the audit trail. Callers pass the client of the transaction that makes the change, so the
// row commits (or rolls back) with it: a tenant client (forTenant, owner added and checked) or, in
// system jobs, the system client with the owner given explicitly.

export const SYSTEM_ACTOR = "system";

export type AuditEntry = {
  ownerId: string;
  actorId: string;
  action: AuditAction;
  targetType: "schedule" | "run" | "crm_connection" | "workspace" | "alert_settings" | "monitor";
  targetId: string;
  scheduleId?: string | null;
  summary: string;
  details?: Record<string, unknown>;
};

type AuditRow = ReturnType<typeof row>;
/** A tenant client or transaction (forTenant), or the system client's. */
type AuditWriter = {
  auditEvent: { create(args: { data: AuditRow }): PromiseLike<unknown>; createMany(args: { data: AuditRow[] }): PromiseLike<unknown> };
};

const row = (e: AuditEntry) => ({
  ownerId: e.ownerId,
  actorId: e.actorId,
  action: e.action,
  targetType: e.targetType,
  targetId: e.targetId,
  scheduledReviewId: e.scheduleId ?? null,
  summary: e.summary.slice(0, 500),
  details: (e.details ?? undefined) as Prisma.InputJsonObject | undefined,
});

export async function recordAudit(db: AuditWriter, ...entries: AuditEntry[]): Promise<void> {
  if (entries.length === 1) await db.auditEvent.create({ data: row(entries[0]!) });
  else if (entries.length) await db.auditEvent.createMany({ data: entries.map(row) });
}

import { z } from "zod";
import { queryInt } from "@/lib/schedules/schemas";

// The audit trail's contract (GET /api/audit, a schedule's Activity list). Client-safe.

/** What an audit row can say happened. Add an action here when a new kind of change is recorded. */
export const AUDIT_ACTIONS = [
  "schedule.created",
  "schedule.updated",
  "schedule.paused",
  "schedule.resumed",
  "schedule.auto_paused",
  "schedule.deleted",
  "run.run_now",
  "run.replayed",
  "runs.replayed_failed",
  "crm.connected",
  "crm.reconnected",
  "crm.renamed",
  "crm.deleted",
  "alerts.settings_updated",
  "alerts.webhook_secret_rotated",
  "monitor.created",
  "monitor.updated",
  "monitor.deleted",
  "workspace.settings_updated",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const auditEventSchema = z.object({
  id: z.string(),
  actor_id: z.string().describe('the Clerk user id, or "system" (the resume cron, auto-pause)'),
  action: z.enum(AUDIT_ACTIONS),
  target_type: z.string(),
  target_id: z.string(),
  schedule_id: z.string().nullable(),
  summary: z.string(),
  details: z.record(z.string(), z.unknown()).nullable(),
  created_at: z.iso.datetime(),
});
export type AuditEventDto = z.infer<typeof auditEventSchema>;

export const auditListQuerySchema = z.strictObject({
  schedule_id: z.string().regex(/^[\w-]{1,64}$/).optional().describe("only this schedule's events"),
  cursor: z.string().max(64).optional(),
  limit: queryInt(1, 100).default(20),
});
export type AuditListQuery = z.infer<typeof auditListQuerySchema>;

export const auditListSchema = z.object({ data: z.array(auditEventSchema), next_cursor: z.string().nullable() });

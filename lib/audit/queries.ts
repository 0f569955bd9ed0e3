import "server-only";
import type { AuditAction, AuditEventDto, AuditListQuery } from "@/lib/audit/schemas";
import { decodeCursor, encodeCursor } from "@/lib/cursor";
import { forTenant } from "@/lib/db";
import { notFound } from "@/lib/errors";

// The read side of the audit trail: the workspace's events, or one schedule's (its Activity list),
// newest first by (createdAt, id) so paging never skips or repeats a row.

type Row = {
  id: string; actorId: string; action: string; targetType: string; targetId: string; scheduledReviewId: string | null;
  summary: string; details: unknown; createdAt: Date;
};

export const serializeAuditEvent = (r: Row): AuditEventDto => ({
  id: r.id,
  actor_id: r.actorId,
  action: r.action as AuditAction,
  target_type: r.targetType,
  target_id: r.targetId,
  schedule_id: r.scheduledReviewId,
  summary: r.summary,
  details: (r.details as Record<string, unknown> | null) ?? null,
  created_at: r.createdAt.toISOString(),
});

/** ?schedule_id= must name a schedule of this workspace, or one it deleted (its trail stays): else 404. */
async function requireScheduleOfTenant(ownerId: string, scheduleId: string) {
  const db = forTenant(ownerId);
  const [schedule, trail] = await Promise.all([
    db.scheduledReview.findFirst({ where: { id: scheduleId }, select: { id: true } }),
    db.auditEvent.findFirst({ where: { scheduledReviewId: scheduleId }, select: { id: true } }),
  ]);
  if (!schedule && !trail) throw notFound("Scheduled review");
}

export async function listAudit(ownerId: string, query: AuditListQuery): Promise<{ data: AuditEventDto[]; next_cursor: string | null }> {
  if (query.schedule_id) await requireScheduleOfTenant(ownerId, query.schedule_id);
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const rows = await forTenant(ownerId).auditEvent.findMany({
    where: {
      ...(query.schedule_id ? { scheduledReviewId: query.schedule_id } : {}),
      ...(after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return { data: page.map(serializeAuditEvent), next_cursor: rows.length > query.limit && last ? encodeCursor(last.createdAt, last.id) : null };
}

import "server-only";
import type { AuditAction, AuditEventDto, AuditListQuery } from "@/lib/audit/schemas";
import { decodeCursor, encodeCursor } from "@/lib/cursor";
import { forTenant, Prisma } from "@/lib/db";
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

type PageKey = { id: string; createdAt: Date };

/**
 * One page of audit keys, newest first: the row-value cursor is an index condition on ("ownerId"
 * [, "scheduledReviewId"], "createdAt" DESC, id DESC), so a deep page costs what the first does
 * (tests/integration/list-plans.test.ts).
 */
export function auditPageSql(ownerId: string, scheduleId: string | null, after: PageKey | null, take: number) {
  return Prisma.sql`
    SELECT id, "createdAt" FROM "AuditEvent"
    WHERE "ownerId" = ${ownerId}
      ${scheduleId ? Prisma.sql`AND "scheduledReviewId" = ${scheduleId}` : Prisma.empty}
      ${after ? Prisma.sql`AND ("createdAt", id) < (${after.createdAt.toISOString()}::timestamp(3), ${after.id})` : Prisma.empty}
    ORDER BY "createdAt" DESC, id DESC
    LIMIT ${take}`;
}

export async function listAudit(ownerId: string, query: AuditListQuery): Promise<{ data: AuditEventDto[]; next_cursor: string | null }> {
  if (query.schedule_id) await requireScheduleOfTenant(ownerId, query.schedule_id);
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const db = forTenant(ownerId);
  // Raw SQL is not scoped: the query filters by "ownerId" itself.
  const keys = await db.$queryRaw<PageKey[]>(auditPageSql(ownerId, query.schedule_id ?? null, after, query.limit + 1));
  const page = keys.slice(0, query.limit);
  const rows = new Map((await db.auditEvent.findMany({ where: { id: { in: page.map((k) => k.id) } } })).map((r) => [r.id, r]));
  const last = page.at(-1);
  return {
    data: page.flatMap((k) => { const row = rows.get(k.id); return row ? [serializeAuditEvent(row)] : []; }),
    next_cursor: keys.length > query.limit && last ? encodeCursor(last.createdAt, last.id) : null,
  };
}

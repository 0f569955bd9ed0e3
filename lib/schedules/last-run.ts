import "server-only";
import { Prisma, type TenantDb } from "@/lib/db";
import type { LastRun } from "@/lib/schedules/serialize";

/**
 * Each schedule's latest run, by one index lookup per schedule (LATERAL ... LIMIT 1 on
 * ("scheduledReviewId", "createdAt" DESC, id DESC)): the cost does not depend on how many runs a
 * schedule has. Raw SQL is not scoped: it filters by "ownerId" itself.
 */
export async function lastRuns(db: Pick<TenantDb, "$queryRaw">, ownerId: string, scheduleIds: string[]): Promise<Map<string, LastRun>> {
  if (scheduleIds.length === 0) return new Map();
  const rows = await db.$queryRaw<(LastRun & { scheduleId: string })[]>(lastRunsSql(ownerId, scheduleIds));
  return new Map(rows.map(({ scheduleId, ...run }) => [scheduleId, run]));
}

export function lastRunsSql(ownerId: string, scheduleIds: string[]) {
  return Prisma.sql`
    SELECT s.id AS "scheduleId", r.id, r.status, r."completedAt", r."healthScore"
    FROM unnest(${scheduleIds}::text[]) AS s(id)
    CROSS JOIN LATERAL (
      SELECT id, status::text AS status, "completedAt", "healthScore" FROM "ReviewRun"
      WHERE "scheduledReviewId" = s.id AND "ownerId" = ${ownerId}
      ORDER BY "createdAt" DESC, id DESC
      LIMIT 1
    ) r`;
}

import "server-only";
import { forTenant, Prisma, systemDb } from "@/lib/db";
import { notFound } from "@/lib/errors";
import type { DailyDto, DailyQuery } from "@/lib/retention/daily-schemas";

// Runs per UTC day for long windows: retained runs counted live, pruned days read from
// RunDailyAggregate. A (schedule, day) that has an aggregate is read from it only, so a day caught
// half-pruned is never counted twice. Raw SQL: every statement filters by "ownerId" itself.

type Row = { day: string; total: number; completed: number; failed: number; skipped: number; health_sum: number; health_n: number; source: "runs" | "aggregate" };

export async function dailyHistory(ownerId: string, query: DailyQuery, now = new Date()): Promise<DailyDto> {
  const scheduleId = query.schedule_id;
  if (scheduleId && !(await forTenant(ownerId).scheduledReview.findFirst({ where: { id: scheduleId }, select: { id: true } })))
    throw notFound("Schedule");
  const from = new Date(Math.floor(now.getTime() / 86_400_000) * 86_400_000 - (query.days - 1) * 86_400_000).toISOString();
  const only = (col: string) => (scheduleId ? Prisma.sql`AND ${Prisma.raw(col)} = ${scheduleId}` : Prisma.empty);
  const rows = await systemDb().$queryRaw<Row[]>`
    SELECT to_char(a.day, 'YYYY-MM-DD') AS day, sum(a.total)::int AS total, sum(a.completed)::int AS completed, sum(a.failed)::int AS failed,
      sum(a.skipped)::int AS skipped, sum(a."healthScoreSum")::int AS health_sum, sum(a."healthScoreCount")::int AS health_n, 'aggregate' AS source
    FROM "RunDailyAggregate" a WHERE a."ownerId" = ${ownerId} AND a.day >= ${from}::timestamp(3)::date ${only('a."scheduledReviewId"')}
    GROUP BY a.day
    UNION ALL
    SELECT to_char(date_trunc('day', r."scheduledFor"), 'YYYY-MM-DD'), count(*)::int, (count(*) FILTER (WHERE r.status = 'COMPLETED'))::int,
      (count(*) FILTER (WHERE r.status = 'FAILED'))::int, (count(*) FILTER (WHERE r.status = 'SKIPPED'))::int,
      COALESCE(sum(r."healthScore") FILTER (WHERE r.status = 'COMPLETED'), 0)::int, (count(r."healthScore") FILTER (WHERE r.status = 'COMPLETED'))::int, 'runs'
    FROM "ReviewRun" r WHERE r."ownerId" = ${ownerId} AND r."scheduledFor" >= ${from}::timestamp(3) ${only('r."scheduledReviewId"')}
      AND NOT EXISTS (SELECT 1 FROM "RunDailyAggregate" x WHERE x."scheduledReviewId" = r."scheduledReviewId" AND x.day = date_trunc('day', r."scheduledFor")::date)
    GROUP BY 1`;
  const byDay = new Map<string, Row & { sources: Set<string> }>();
  for (const r of rows) {
    const d = byDay.get(r.day);
    if (!d) byDay.set(r.day, { ...r, sources: new Set([r.source]) });
    else {
      for (const k of ["total", "completed", "failed", "skipped", "health_sum", "health_n"] as const) d[k] += r[k];
      d.sources.add(r.source);
    }
  }
  return {
    days: [...byDay.values()]
      .sort((a, b) => a.day.localeCompare(b.day))
      .map((d) => ({
        day: d.day, total: d.total, completed: d.completed, failed: d.failed, skipped: d.skipped,
        mean_health_score: d.health_n ? Math.round((d.health_sum / d.health_n) * 10) / 10 : null,
        source: d.sources.size > 1 ? "both" : (d.source as "runs" | "aggregate"),
      })),
  };
}

import "server-only";
import { forTenant, Prisma, systemDb } from "@/lib/db";
import { notFound } from "@/lib/errors";
import type { DailyDto, DailyQuery } from "@/lib/retention/daily-schemas";

// Runs per UTC day for long windows: retained runs counted live, pruned days read from
// RunDailyAggregate. A (schedule, day) that has an aggregate is read from it only, so a day caught
// half-pruned is never counted twice. Raw SQL: every statement filters by "ownerId" itself.
//
// Durations: each part gives its run-weighted p50/p95 sums; a day made of one part with one group
// (one schedule's aggregate, or the retained runs) is exact, several are combined weighted by runs.

type Counts = { total: number; completed: number; failed: number; skipped: number; health_sum: number; health_n: number };
type Durations = { dur_n: number; dur_sum: number; p50_w: number; p95_w: number; dur_max: number | null; groups: number };
type Row = Counts & Durations & { day: string; source: "runs" | "aggregate" };
const SUMMED = ["total", "completed", "failed", "skipped", "health_sum", "health_n", "dur_n", "dur_sum", "p50_w", "p95_w", "groups"] as const;

const DAY_MS = 86_400_000;

export async function dailyHistory(ownerId: string, query: DailyQuery, now = new Date()): Promise<DailyDto> {
  const scheduleId = query.schedule_id;
  if (scheduleId && !(await forTenant(ownerId).scheduledReview.findFirst({ where: { id: scheduleId }, select: { id: true } })))
    throw notFound("Schedule");
  const from = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS - (query.days - 1) * DAY_MS).toISOString();
  const only = (col: string) => (scheduleId ? Prisma.sql`AND ${Prisma.raw(col)} = ${scheduleId}` : Prisma.empty);
  const rows = await systemDb().$queryRaw<Row[]>`
    SELECT to_char(a.day, 'YYYY-MM-DD') AS day, sum(a.total)::int AS total, sum(a.completed)::int AS completed, sum(a.failed)::int AS failed,
      sum(a.skipped)::int AS skipped, sum(a."healthScoreSum")::int AS health_sum, sum(a."healthScoreCount")::int AS health_n,
      sum(a."durationCount")::int AS dur_n, sum(a."durationMsSum")::float8 AS dur_sum,
      COALESCE(sum(a."durationP50Ms"::float8 * a."durationCount"), 0)::float8 AS p50_w, COALESCE(sum(a."durationP95Ms"::float8 * a."durationCount"), 0)::float8 AS p95_w,
      max(a."durationMaxMs")::int AS dur_max, (count(*) FILTER (WHERE a."durationCount" > 0))::int AS groups, 'aggregate' AS source
    FROM "RunDailyAggregate" a WHERE a."ownerId" = ${ownerId} AND a.day >= ${from}::timestamp(3)::date ${only('a."scheduledReviewId"')}
    GROUP BY a.day
    UNION ALL
    SELECT day, total, completed, failed, skipped, health_sum, health_n, dur_n, dur_sum,
      COALESCE(p50 * dur_n, 0), COALESCE(p95 * dur_n, 0), dur_max, (dur_n > 0)::int, 'runs'
    FROM (
      SELECT to_char(date_trunc('day', r."scheduledFor"), 'YYYY-MM-DD') AS day, count(*)::int AS total,
        (count(*) FILTER (WHERE r.status = 'COMPLETED'))::int AS completed, (count(*) FILTER (WHERE r.status = 'FAILED'))::int AS failed,
        (count(*) FILTER (WHERE r.status = 'SKIPPED'))::int AS skipped,
        COALESCE(sum(r."healthScore") FILTER (WHERE r.status = 'COMPLETED'), 0)::int AS health_sum,
        (count(r."healthScore") FILTER (WHERE r.status = 'COMPLETED'))::int AS health_n,
        count(r."durationMs")::int AS dur_n, COALESCE(sum(r."durationMs"), 0)::float8 AS dur_sum,
        round(percentile_cont(0.5) WITHIN GROUP (ORDER BY r."durationMs"))::float8 AS p50,
        round(percentile_cont(0.95) WITHIN GROUP (ORDER BY r."durationMs"))::float8 AS p95, max(r."durationMs")::int AS dur_max
      FROM "ReviewRun" r WHERE r."ownerId" = ${ownerId} AND r."scheduledFor" >= ${from}::timestamp(3) ${only('r."scheduledReviewId"')}
        AND NOT EXISTS (SELECT 1 FROM "RunDailyAggregate" x WHERE x."scheduledReviewId" = r."scheduledReviewId" AND x.day = date_trunc('day', r."scheduledFor")::date)
      GROUP BY 1
    ) live`;
  const byDay = new Map<string, Row & { sources: Set<string> }>();
  for (const r of rows) {
    const d = byDay.get(r.day);
    if (!d) byDay.set(r.day, { ...r, sources: new Set([r.source]) });
    else {
      for (const k of SUMMED) d[k] += r[k];
      d.dur_max = Math.max(d.dur_max ?? 0, r.dur_max ?? 0) || null;
      d.sources.add(r.source);
    }
  }
  const perRun = (sum: number, n: number) => (n ? Math.round(sum / n) : null);
  return {
    days: [...byDay.values()]
      .sort((a, b) => a.day.localeCompare(b.day))
      .map((d) => ({
        day: d.day, total: d.total, completed: d.completed, failed: d.failed, skipped: d.skipped,
        mean_health_score: d.health_n ? Math.round((d.health_sum / d.health_n) * 10) / 10 : null,
        mean_duration_ms: perRun(d.dur_sum, d.dur_n),
        duration_p50_ms: perRun(d.p50_w, d.dur_n),
        duration_p95_ms: perRun(d.p95_w, d.dur_n),
        duration_max_ms: d.dur_n ? d.dur_max : null,
        duration_exact: d.groups <= 1,
        source: d.sources.size > 1 ? "both" : (d.source as "runs" | "aggregate"),
      })),
  };
}

/** The daily history as the monitoring charts' series (one bucket per day, the mean health as the third line). */
export function dailySeries(d: DailyDto) {
  return d.days.map((p) => ({
    at: `${p.day}T00:00:00.000Z`, completed: p.completed, failed: p.failed, skipped: p.skipped,
    success_rate: p.completed + p.failed ? p.completed / (p.completed + p.failed) : null,
    p50_ms: p.duration_p50_ms, p95_ms: p.duration_p95_ms, mean_health_score: p.mean_health_score,
  }));
}

import "server-only";
import { Prisma, SHORT_TX, type TenantDb } from "@/lib/db";
import type { ExecutionLog } from "@/lib/generated/prisma/client";
import type { MonitorMetrics } from "@/lib/monitors/schemas";
import { executionDto } from "@/lib/monitors/serialize";

// Metrics of a page of monitors in two statements (one transaction), whatever the page size: each
// monitor's latest METRICS_WINDOW executions are one index range on ("monitorId", "createdAt" DESC,
// id DESC) read under CROSS JOIN LATERAL and aggregated in the database. The result is what
// computeMetrics (state.ts) gives for the same rows (tests/integration/monitor-metrics-sql.test.ts).

/** Metrics cover at most this many latest executions. */
export const METRICS_WINDOW = 1000;
const RECENT_FAILURES = 10;
const DAY = 86_400_000;

/** The 7 UTC days of the trend, oldest first: [from, to) of each. */
function trendDays(now: Date): { date: string; from: Date; to: Date }[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: 7 }, (_, i) => {
    const from = today - (6 - i) * DAY;
    return { date: new Date(from).toISOString().slice(0, 10), from: new Date(from), to: new Date(from + DAY) };
  });
}

const at = (d: Date) => Prisma.sql`${d.toISOString()}::timestamp(3)`;
/** Each monitor's latest executions, newest first. Raw SQL is not scoped: it filters by "ownerId" itself. */
const latestOf = (ownerId: string, columns: Prisma.Sql, take = METRICS_WINDOW) => Prisma.sql`
  SELECT ${columns} FROM "ExecutionLog"
  WHERE "monitorId" = m.id AND "ownerId" = ${ownerId}
  ORDER BY "createdAt" DESC, id DESC
  LIMIT ${take}`;

/**
 * Counts per status, the sum and count of finished durations (the average is rounded in JS, as
 * computeMetrics does), the nearest-rank p95 (percentile_disc takes the ceil(0.95 n)-th value, the
 * same index as durations[Math.ceil(0.95 * n) - 1]) and the finished/failed count of each trend day.
 */
export function metricsAggregateSql(ownerId: string, monitorIds: string[], now: Date) {
  const days = trendDays(now);
  const inDay = (d: (typeof days)[number]) => Prisma.sql`e."createdAt" >= ${at(d.from)} AND e."createdAt" < ${at(d.to)}`;
  // Aggregated inside the LATERAL, one monitor at a time: no GROUP BY over the page (so no sort of
  // up to page x 1000 rows), and a monitor without executions still gets its row of zeros.
  return Prisma.sql`
    SELECT m.id AS "monitorId", a.*
    FROM unnest(${monitorIds}::text[]) AS m(id)
    CROSS JOIN LATERAL (
      SELECT
        count(*) FILTER (WHERE e.status <> 'RUNNING')::int AS total,
        count(*) FILTER (WHERE e.status = 'SUCCESS')::int AS succeeded,
        count(*) FILTER (WHERE e.status = 'FAILURE')::int AS failed,
        count(*) FILTER (WHERE e.status = 'PARTIAL')::int AS partial,
        count(*) FILTER (WHERE e.status = 'RUNNING')::int AS running,
        count(e."durationMs") FILTER (WHERE e.status <> 'RUNNING')::int AS durations,
        sum(e."durationMs") FILTER (WHERE e.status <> 'RUNNING')::float8 AS "durationSum",
        percentile_disc(0.95) WITHIN GROUP (ORDER BY e."durationMs") FILTER (WHERE e.status <> 'RUNNING')::int AS p95,
        ARRAY[${Prisma.join(days.map((d) => Prisma.sql`count(*) FILTER (WHERE e.status <> 'RUNNING' AND ${inDay(d)})::int`))}] AS "trendTotal",
        ARRAY[${Prisma.join(days.map((d) => Prisma.sql`count(*) FILTER (WHERE e.status = 'FAILURE' AND ${inDay(d)})::int`))}] AS "trendFailed"
      FROM (${latestOf(ownerId, Prisma.sql`status::text AS status, "durationMs", "createdAt"`)}) e
    ) a`;
}

/** Each monitor's last execution (its state) and its latest failures in the window, newest first. */
export function metricsRowsSql(ownerId: string, monitorIds: string[]) {
  return Prisma.sql`
    SELECT x.*
    FROM unnest(${monitorIds}::text[]) AS m(id)
    CROSS JOIN LATERAL (
      (${latestOf(ownerId, Prisma.sql`'last' AS kind, *`, 1)})
      UNION ALL
      (SELECT 'failure' AS kind, e.* FROM (${latestOf(ownerId, Prisma.sql`*`)}) e
       WHERE e.status = 'FAILURE' ORDER BY e."createdAt" DESC, e.id DESC LIMIT ${RECENT_FAILURES})
    ) x`;
}

/**
 * Set for the metric statements' transaction. The planner sizes "monitorId" = m.id by the average
 * monitor, so for a busy one it would bitmap-read its whole history and sort it to keep 1000 rows;
 * without bitmap scans and sorts it walks the ordered index and stops at the window.
 */
export const METRICS_PLANNER_SQL = Prisma.sql`SELECT set_config('enable_bitmapscan', 'off', true), set_config('enable_sort', 'off', true)`;

type Aggregate = {
  monitorId: string; total: number; succeeded: number; failed: number; partial: number; running: number;
  durations: number; durationSum: number | null; p95: number | null; trendTotal: number[]; trendFailed: number[];
};
type Row = ExecutionLog & { kind: "last" | "failure" };

/** The row without its `kind` tag: an ExecutionLog as Prisma reads it. */
function execution(row: Row): ExecutionLog {
  const e: Partial<Row> = { ...row };
  delete e.kind;
  return e as ExecutionLog;
}

export type WindowSummary = { last: ExecutionLog | null; metrics: MonitorMetrics };

/** Last execution and metrics of each monitor (monitors without executions included), at `now`. */
export async function monitorWindows(db: Pick<TenantDb, "$transaction">, ownerId: string, monitorIds: string[], now: Date): Promise<Map<string, WindowSummary>> {
  if (!monitorIds.length) return new Map();
  // One snapshot for both statements: an execution arriving in between must not show in one and not the other.
  const [aggregates, rows] = await db.$transaction(async (tx) => {
    await tx.$queryRaw(METRICS_PLANNER_SQL);
    return [await tx.$queryRaw<Aggregate[]>(metricsAggregateSql(ownerId, monitorIds, now)), await tx.$queryRaw<Row[]>(metricsRowsSql(ownerId, monitorIds))] as const;
  }, { ...SHORT_TX, isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead });
  const byMonitor = new Map(aggregates.map((a) => [a.monitorId, a]));
  const rowsOf = new Map<string, Row[]>();
  for (const r of rows) rowsOf.set(r.monitorId, [...(rowsOf.get(r.monitorId) ?? []), r]);
  const days = trendDays(now);
  return new Map(monitorIds.map((id) => {
    const a = byMonitor.get(id);
    const mine = rowsOf.get(id) ?? [];
    // Newest first by (createdAt, id) here: the UNION's output order is the plan's, not a promise.
    const failures = mine
      .filter((r) => r.kind === "failure")
      .sort((x, y) => y.createdAt.getTime() - x.createdAt.getTime() || (y.id < x.id ? -1 : y.id > x.id ? 1 : 0))
      .map((r) => executionDto(execution(r)));
    const last = mine.find((r) => r.kind === "last");
    const total = a?.total ?? 0;
    const failed = a?.failed ?? 0;
    return [id, {
      last: last ? execution(last) : null,
      metrics: {
        total,
        succeeded: a?.succeeded ?? 0,
        failed,
        partial: a?.partial ?? 0,
        running: a?.running ?? 0,
        failure_rate_pct: total ? Math.round((failed / total) * 1000) / 10 : null,
        avg_duration_ms: a?.durations ? Math.round(a.durationSum! / a.durations) : null,
        p95_duration_ms: a?.p95 ?? null,
        last_failure: failures[0] ?? null,
        trend: days.map((d, i) => ({ date: d.date, total: a?.trendTotal[i] ?? 0, failed: a?.trendFailed[i] ?? 0 })),
        recent_failures: failures,
      },
    }];
  }));
}

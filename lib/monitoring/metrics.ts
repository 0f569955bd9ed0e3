import { forTenant, Prisma, systemDb } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { WINDOWS, type MonitoringDto, type MonitoringQuery } from "@/lib/monitoring/schemas";

// What the monitoring guide asks to watch, for one tenant over a window ending now: success rate,
// time to completion, delivery rate, error groups, backlog, failure trend, missed and skipped slots.
// Raw SQL is not scoped by forTenant: every query here filters by "ownerId" itself.

/** The trend compares the failure rate of the window's later half with its earlier half. */
export const TREND_DEFINITION =
  "Failure rate (failed / finished runs) in the later half of the window against the earlier half: " +
  "increasing or decreasing when it moved by more than 5 percentage points and the later half has at least 3 finished runs, else stable.";
const TREND_POINTS = 0.05;
const TREND_MIN_RUNS = 3;

type Num = number | bigint | null;
const num = (v: Num) => (v === null ? null : Number(v));
const rate = (ok: number, bad: number) => (ok + bad > 0 ? ok / (ok + bad) : null);
const round = (v: Num) => (v === null ? null : Math.round(Number(v)));

function scope(ownerId: string, from: Date, to: Date, scheduleId?: string) {
  return Prisma.sql`r."ownerId" = ${ownerId} AND r."queuedAt" >= ${from} AND r."queuedAt" < ${to}
    ${scheduleId ? Prisma.sql`AND r."scheduledReviewId" = ${scheduleId}` : Prisma.empty}`;
}

const PCT = (col: string, p: number) => Prisma.raw(`percentile_cont(${p}) WITHIN GROUP (ORDER BY ${col})`);
const Q_MS = `EXTRACT(EPOCH FROM (r."completedAt" - r."queuedAt")) * 1000`;
const S_MS = `EXTRACT(EPOCH FROM (r."completedAt" - r."startedAt")) * 1000`;

type Totals = { status: string; n: bigint }[];
type Durations = { q50: Num; q95: Num; qmax: Num; s50: Num; s95: Num; smax: Num }[];
type Groups = { code: string; n: bigint; last_seen: Date | null; example: string | null; schedule_ids: string[] }[];
type Bucket = { at: Date; completed: bigint; failed: bigint; skipped: bigint; p50: Num; p95: Num }[];
type PerSchedule = { id: string; name: string; runs: bigint; completed: bigint; failed: bigint; p95: Num }[];

export async function getMonitoring(ownerId: string, query: MonitoringQuery, now = new Date()): Promise<MonitoringDto> {
  const scheduleId = query.schedule_id;
  if (scheduleId && !(await forTenant(ownerId).scheduledReview.findFirst({ where: { id: scheduleId }, select: { id: true } })))
    throw notFound("Schedule");
  const hours = WINDOWS[query.window];
  const to = now;
  const from = new Date(now.getTime() - hours * 3_600_000);
  const mid = new Date((from.getTime() + to.getTime()) / 2);
  const where = scope(ownerId, from, to, scheduleId);
  const unit = hours <= 24 ? "hour" : "day";
  const db = systemDb();

  const [totals, durations, groups, buckets, perSchedule, halves, slots, backlog, delivery] = await Promise.all([
    db.$queryRaw<Totals>`SELECT r.status::text AS status, count(*) AS n FROM "ReviewRun" r WHERE ${where} GROUP BY r.status`,
    db.$queryRaw<Durations>`
      SELECT ${PCT(Q_MS, 0.5)} AS q50, ${PCT(Q_MS, 0.95)} AS q95, max(${Prisma.raw(Q_MS)}) AS qmax,
             ${PCT(S_MS, 0.5)} AS s50, ${PCT(S_MS, 0.95)} AS s95, max(${Prisma.raw(S_MS)}) AS smax
      FROM "ReviewRun" r WHERE ${where} AND r.status = 'COMPLETED' AND r."startedAt" IS NOT NULL`,
    db.$queryRaw<Groups>`
      SELECT COALESCE(r."errorCode", 'internal') AS code, count(*) AS n, max(r."completedAt") AS last_seen,
             (array_agg(r."errorMessage" ORDER BY r."completedAt" DESC NULLS LAST))[1] AS example,
             array_agg(DISTINCT r."scheduledReviewId") AS schedule_ids
      FROM "ReviewRun" r WHERE ${where} AND r.status = 'FAILED'
      GROUP BY 1 ORDER BY n DESC, code LIMIT 20`,
    db.$queryRaw<Bucket>`
      SELECT date_trunc(${unit}, r."queuedAt") AS at,
             count(*) FILTER (WHERE r.status = 'COMPLETED') AS completed,
             count(*) FILTER (WHERE r.status = 'FAILED') AS failed,
             count(*) FILTER (WHERE r.status = 'SKIPPED') AS skipped,
             ${PCT(S_MS, 0.5)} FILTER (WHERE r.status = 'COMPLETED') AS p50,
             ${PCT(S_MS, 0.95)} FILTER (WHERE r.status = 'COMPLETED') AS p95
      FROM "ReviewRun" r WHERE ${where} GROUP BY 1 ORDER BY 1`,
    db.$queryRaw<PerSchedule>`
      SELECT s.id, s.name, count(r.id) AS runs,
             count(*) FILTER (WHERE r.status = 'COMPLETED') AS completed,
             count(*) FILTER (WHERE r.status = 'FAILED') AS failed,
             ${PCT(S_MS, 0.95)} FILTER (WHERE r.status = 'COMPLETED') AS p95
      FROM "ReviewRun" r JOIN "ScheduledReview" s ON s.id = r."scheduledReviewId"
      WHERE ${where} GROUP BY s.id, s.name ORDER BY failed DESC, s.name LIMIT 100`,
    db.$queryRaw<{ later: boolean; completed: bigint; failed: bigint }[]>`
      SELECT r."queuedAt" >= ${mid} AS later,
             count(*) FILTER (WHERE r.status = 'COMPLETED') AS completed,
             count(*) FILTER (WHERE r.status = 'FAILED') AS failed
      FROM "ReviewRun" r WHERE ${where} GROUP BY 1`,
    db.$queryRaw<{ missed: Num; skipped: bigint }[]>`
      SELECT COALESCE(sum(r."missedSlots"), 0) AS missed, count(*) FILTER (WHERE r.status = 'SKIPPED') AS skipped
      FROM "ReviewRun" r WHERE ${where}`,
    // The backlog is now, whatever the window.
    db.$queryRaw<{ queued: bigint; oldest: Date | null }[]>`
      SELECT count(*) AS queued, min(r."queuedAt") AS oldest FROM "ReviewRun" r
      WHERE r."ownerId" = ${ownerId} AND r.status = 'QUEUED'
      ${scheduleId ? Prisma.sql`AND r."scheduledReviewId" = ${scheduleId}` : Prisma.empty}`,
    db.$queryRaw<{ channel: string; sent: bigint; failed: bigint }[]>`
      SELECT d.channel::text AS channel, count(*) FILTER (WHERE d.status = 'SENT') AS sent, count(*) FILTER (WHERE d.status = 'FAILED') AS failed
      FROM "Delivery" d JOIN "ReviewRun" r ON r.id = d."runId" WHERE ${where} GROUP BY d.channel`,
  ]);

  const count = (s: string) => Number(totals.find((t) => t.status === s)?.n ?? 0);
  const runs = { completed: count("COMPLETED"), failed: count("FAILED"), skipped: count("SKIPPED"), queued: count("QUEUED"), running: count("RUNNING") };
  const d = durations[0];
  const names = new Map(perSchedule.map((s) => [s.id, s.name]));
  const missingNames = [...new Set(groups.flatMap((g) => g.schedule_ids))].filter((id) => !names.has(id));
  if (missingNames.length)
    for (const s of await forTenant(ownerId).scheduledReview.findMany({ where: { id: { in: missingNames } }, select: { id: true, name: true } }))
      names.set(s.id, s.name);
  const half = (later: boolean) => halves.find((h) => h.later === later);
  const failureRate = (h?: { completed: bigint; failed: bigint }) => (h ? rate(Number(h.failed), Number(h.completed)) : null);
  const earlier = failureRate(half(false));
  const later = failureRate(half(true));
  const laterRuns = Number(half(true)?.completed ?? 0) + Number(half(true)?.failed ?? 0);
  const moved = earlier !== null && later !== null && laterRuns >= TREND_MIN_RUNS ? later - earlier : 0;
  const channel = (c: string) => {
    const row = delivery.find((x) => x.channel === c);
    const sent = Number(row?.sent ?? 0);
    const failed = Number(row?.failed ?? 0);
    return { sent, failed, rate: rate(sent, failed) };
  };
  const oldest = backlog[0]?.oldest ?? null;

  return {
    window: query.window,
    from: from.toISOString(),
    to: to.toISOString(),
    schedule_id: scheduleId ?? null,
    runs: { total: Object.values(runs).reduce((a, b) => a + b, 0), ...runs },
    success_rate: rate(runs.completed, runs.failed),
    duration_ms: {
      queued_to_completed: { p50: round(d?.q50 ?? null), p95: round(d?.q95 ?? null), max: round(d?.qmax ?? null) },
      started_to_completed: { p50: round(d?.s50 ?? null), p95: round(d?.s95 ?? null), max: round(d?.smax ?? null) },
    },
    delivery: { email: channel("EMAIL"), slack: channel("SLACK") },
    error_groups: groups.map((g) => ({
      code: g.code,
      count: Number(g.n),
      last_seen: g.last_seen?.toISOString() ?? null,
      example_message: g.example,
      schedules: g.schedule_ids.map((id) => ({ id, name: names.get(id) ?? "" })),
    })),
    backlog: { queued: Number(backlog[0]?.queued ?? 0), oldest_queued_age_ms: oldest ? Math.max(0, now.getTime() - oldest.getTime()) : null },
    trend: {
      direction: moved > TREND_POINTS ? "increasing" : moved < -TREND_POINTS ? "decreasing" : "stable",
      earlier_failure_rate: earlier,
      later_failure_rate: later,
      definition: TREND_DEFINITION,
    },
    slots: { missed: Number(num(slots[0]?.missed ?? 0)), skipped: Number(slots[0]?.skipped ?? 0) },
    series: buckets.map((b) => ({
      at: b.at.toISOString(),
      completed: Number(b.completed),
      failed: Number(b.failed),
      skipped: Number(b.skipped),
      success_rate: rate(Number(b.completed), Number(b.failed)),
      p50_ms: round(b.p50),
      p95_ms: round(b.p95),
    })),
    schedules: perSchedule.map((s) => ({
      id: s.id,
      name: s.name,
      runs: Number(s.runs),
      failed: Number(s.failed),
      success_rate: rate(Number(s.completed), Number(s.failed)),
      p95_ms: round(s.p95),
    })),
  };
}

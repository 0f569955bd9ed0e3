// Retention (issue #17): 200k runs older than the workspace's retention are pruned in bounded batches,
// with their analyses, findings and deliveries, while the daily aggregates kept per schedule equal the
// sums computed from the runs before any was deleted. Recent runs stay; a second pass changes nothing.
import { beforeAll, describe, expect, it } from "vitest";
import { systemDb } from "@/lib/db";
import { dailyHistory } from "@/lib/retention/daily";
import { pruneHistory, retentionCutoff } from "@/lib/retention/prune";
import { resetDb } from "../support/db";

const OWNER = "org_retention";
const OTHER = "org_retention_short"; // retention set to 30 days
const RUNS = 200_000;
const BATCH = 20_000;
const now = new Date("2026-12-01T12:00:00Z");
const ts = (d: Date) => d.toISOString().replace("Z", ""); // timestamp(3) columns hold UTC wall time

type DayRow = { schedule: string; day: string; total: number; completed: number; failed: number; skipped: number; health_sum: number; health_n: number; dur_sum: number; dur_n: number; p50: number | null; p95: number | null };
const schedules: string[] = [];
let expected: DayRow[] = [];

/** Per (schedule, day) sums straight from the runs: what the aggregates must equal. */
const sumsFromRuns = (cutoff: Date) => systemDb().$queryRaw<DayRow[]>`
  SELECT "scheduledReviewId" AS schedule, to_char(date_trunc('day', "scheduledFor"), 'YYYY-MM-DD') AS day, count(*)::int AS total,
    (count(*) FILTER (WHERE status = 'COMPLETED'))::int AS completed, (count(*) FILTER (WHERE status = 'FAILED'))::int AS failed,
    (count(*) FILTER (WHERE status = 'SKIPPED'))::int AS skipped,
    COALESCE(sum("healthScore") FILTER (WHERE status = 'COMPLETED'), 0)::int AS health_sum, (count("healthScore") FILTER (WHERE status = 'COMPLETED'))::int AS health_n,
    COALESCE(sum("durationMs"), 0)::int AS dur_sum, count("durationMs")::int AS dur_n,
    round(percentile_cont(0.5) WITHIN GROUP (ORDER BY "durationMs"))::int AS p50, round(percentile_cont(0.95) WITHIN GROUP (ORDER BY "durationMs"))::int AS p95
  FROM "ReviewRun" WHERE "ownerId" = ${OWNER} AND "scheduledFor" < ${ts(cutoff)}::timestamp
  GROUP BY 1, 2 ORDER BY 1, 2`;

const aggregates = () => systemDb().$queryRaw<DayRow[]>`
  SELECT "scheduledReviewId" AS schedule, to_char(day, 'YYYY-MM-DD') AS day, total, completed, failed, skipped,
    "healthScoreSum" AS health_sum, "healthScoreCount" AS health_n, "durationMsSum"::int AS dur_sum, "durationCount" AS dur_n,
    "durationP50Ms" AS p50, "durationP95Ms" AS p95
  FROM "RunDailyAggregate" WHERE "ownerId" = ${OWNER} ORDER BY 1, 2`;

beforeAll(async () => {
  await resetDb();
  const db = systemDb();
  const conn = await db.crmConnection.create({ data: { ownerId: OWNER, provider: "DEMO", name: "Demo CRM" } });
  for (const name of ["A", "B", "C"])
    schedules.push((await db.scheduledReview.create({ data: { ownerId: OWNER, name, crmConnectionId: conn.id, cron: "*/5 * * * *", timezone: "UTC" } })).id);
  const base = new Date(now.getTime() - 200 * 86_400_000); // every seeded run is older than 180 days
  // 200k runs, 3 schedules, one every 4 minutes back from `base`: statuses, scores and durations vary with g.
  await db.$executeRaw`
    INSERT INTO "ReviewRun" (id, "scheduledReviewId", "ownerId", trigger, "scheduledFor", status, "queuedAt", "completedAt", "durationMs", "healthScore", "updatedAt")
    SELECT 'old_' || g, (${schedules}::text[])[1 + g % 3], ${OWNER}, 'SCHEDULED', ${ts(base)}::timestamp - g * interval '4 minutes',
      (CASE WHEN g % 10 < 7 THEN 'COMPLETED' WHEN g % 10 < 9 THEN 'FAILED' ELSE 'SKIPPED' END)::"RunStatus",
      ${ts(base)}::timestamp - g * interval '4 minutes', ${ts(base)}::timestamp - g * interval '4 minutes',
      CASE WHEN g % 10 < 9 THEN 100 + (g * 7919) % 5000 END, CASE WHEN g % 10 < 7 THEN (g * 31) % 101 END, now()
    FROM generate_series(1, ${RUNS}) g`;
  // 2,000 of them have an analysis with a finding and a delivery.
  await db.$executeRaw`
    INSERT INTO "Analysis" (id, "ownerId", "scheduledReviewId", "dealsAnalyzed", "healthScore", "issuesFound", "highRiskDeals", "createdAt")
    SELECT 'an_' || r.id, ${OWNER}, r."scheduledReviewId", 10, 50, 1, 0, r."scheduledFor" FROM "ReviewRun" r WHERE r.id LIKE 'old_%' AND right(r.id, 2) = '00'`;
  await db.$executeRaw`UPDATE "ReviewRun" SET "analysisId" = 'an_' || id WHERE id LIKE 'old_%' AND right(id, 2) = '00'`;
  await db.$executeRaw`
    INSERT INTO "Finding" (id, "analysisId", "dealId", "dealName", rule, severity, message)
    SELECT 'f_' || id, id, 'd1', 'Deal', 'stale_deal', 'LOW', 'm' FROM "Analysis" WHERE "ownerId" = ${OWNER}`;
  await db.$executeRaw`
    INSERT INTO "Delivery" (id, "runId", "ownerId", channel, target, "idempotencyKey", "updatedAt")
    SELECT 'd_' || id, id, ${OWNER}, 'EMAIL', 'example.com', id || ':email', now() FROM "ReviewRun" WHERE "analysisId" IS NOT NULL`;

  // Recent runs stay, including one at the first instant of the first kept day; the instant before goes.
  const cutoff = retentionCutoff(now, 180);
  await db.reviewRun.createMany({
    data: [
      ...Array.from({ length: 50 }, (_, i) => ({ id: `recent_${i}`, ownerId: OWNER, scheduledReviewId: schedules[0]!, trigger: "SCHEDULED" as const, status: "COMPLETED" as const, scheduledFor: new Date(now.getTime() - (i + 1) * 3_600_000) })),
      { id: "edge_kept", ownerId: OWNER, scheduledReviewId: schedules[1]!, trigger: "SCHEDULED", status: "COMPLETED", scheduledFor: cutoff, durationMs: 10 },
      { id: "edge_gone", ownerId: OWNER, scheduledReviewId: schedules[1]!, trigger: "SCHEDULED", status: "COMPLETED", scheduledFor: new Date(cutoff.getTime() - 1), durationMs: 10 },
    ],
  });
  // Another workspace keeps 30 days: its 40-day-old run goes, its 20-day-old one stays.
  const otherConn = await db.crmConnection.create({ data: { ownerId: OTHER, provider: "DEMO", name: "Demo CRM" } });
  const other = await db.scheduledReview.create({ data: { ownerId: OTHER, name: "Short", crmConnectionId: otherConn.id, cron: "0 6 * * *", timezone: "UTC" } });
  await db.workspaceSettings.create({ data: { ownerId: OTHER, runRetentionDays: 30 } });
  await db.reviewRun.createMany({
    data: [40, 20].map((days) => ({ id: `other_${days}`, ownerId: OTHER, scheduledReviewId: other.id, trigger: "SCHEDULED" as const, status: "COMPLETED" as const, scheduledFor: new Date(now.getTime() - days * 86_400_000) })),
  });
  // Ticks: 31 days old goes, 29 stays.
  await db.schedulerTick.createMany({ data: [31, 29].map((days) => ({ id: `tick_${days}`, kind: "DISPATCH" as const, startedAt: new Date(now.getTime() - days * 86_400_000) })) });

  expected = await sumsFromRuns(cutoff);
}, 600_000);

describe("retention", () => {
  it("prunes 200k old runs in bounded batches; the daily aggregates equal the sums before", { timeout: 600_000 }, async () => {
    expect(expected.reduce((n, r) => n + r.total, 0)).toBe(RUNS + 1); // + edge_gone
    const passes = [];
    // The first pass twice at once: a duplicated cron step must not double-count or lose a day.
    passes.push(...(await Promise.all([pruneHistory(now, BATCH), pruneHistory(now, BATCH)])));
    for (let i = 0; i < 40 && !passes.at(-1)!.done; i++) passes.push(await pruneHistory(now, BATCH));
    expect(passes.at(-1)!.done).toBe(true);
    for (const p of passes) expect(p.runs).toBeLessThanOrEqual(BATCH);
    expect(passes.length).toBeGreaterThanOrEqual(RUNS / BATCH);
    expect(passes.reduce((n, p) => n + p.runs, 0)).toBe(RUNS + 2); // + edge_gone + OTHER's 40-day-old run
    console.log(`[retention] ${RUNS} runs pruned in ${passes.length} passes of at most ${BATCH}; ${expected.length} daily aggregates`);

    expect(await aggregates()).toEqual(expected);
    const db = systemDb();
    expect(await db.reviewRun.count({ where: { ownerId: OWNER } })).toBe(51);
    expect(await db.reviewRun.findUnique({ where: { id: "edge_kept" } })).not.toBeNull();
    expect(await db.reviewRun.findUnique({ where: { id: "edge_gone" } })).toBeNull();
    expect([await db.analysis.count({ where: { ownerId: OWNER } }), await db.finding.count(), await db.delivery.count()]).toEqual([0, 0, 0]);
    expect((await db.reviewRun.findMany({ where: { ownerId: OTHER }, select: { id: true } })).map((r) => r.id)).toEqual(["other_20"]);
    expect((await db.schedulerTick.findMany({ select: { id: true } })).map((t) => t.id)).toEqual(["tick_29"]);
  });

  it("runs per day over 730 days still add up: pruned days from the aggregates, kept days from the runs", async () => {
    const { days } = await dailyHistory(OWNER, { days: 730 }, now);
    const perDay = new Map<string, { total: number; failed: number; health_sum: number; health_n: number }>();
    for (const r of expected) {
      const d = perDay.get(r.day) ?? { total: 0, failed: 0, health_sum: 0, health_n: 0 };
      perDay.set(r.day, { total: d.total + r.total, failed: d.failed + r.failed, health_sum: d.health_sum + r.health_sum, health_n: d.health_n + r.health_n });
    }
    const pruned = days.filter((d) => d.source === "aggregate");
    expect(pruned.map((d) => [d.day, d.total, d.failed])).toEqual([...perDay].filter(([day]) => day >= pruned[0]!.day).map(([day, d]) => [day, d.total, d.failed]));
    expect(pruned.length).toBeGreaterThan(300);
    const one = pruned[10]!;
    const sums = perDay.get(one.day)!;
    expect(one.mean_health_score).toBe(Math.round((sums.health_sum / sums.health_n) * 10) / 10);
    expect(days.filter((d) => d.source === "runs").reduce((n, d) => n + d.total, 0)).toBe(51); // the retained runs
  });

  it("a later pass finds nothing and leaves the aggregates as they are", async () => {
    const again = await pruneHistory(now, BATCH);
    expect(again).toMatchObject({ aggregated: 0, runs: 0, ticks: 0, done: true });
    expect(await aggregates()).toEqual(expected);
  });
});

import "server-only";
import { systemDb } from "@/lib/db";
import { asPlan, effectiveRunRetentionDays, TICK_RETENTION_DAYS } from "@/lib/plans";

// Retention (issue #17): runs older than their workspace's retention are deleted with their analyses
// (findings cascade) and deliveries (cascade), after their days are kept as daily aggregates per
// schedule; scheduler ticks older than TICK_RETENTION_DAYS are deleted. Bounded: one call deletes at
// most `batch` runs and `batch` ticks. Idempotent under concurrent copies: aggregates insert ON CONFLICT
// DO NOTHING and are always written before any run of their day is deleted; deletes skip gone rows.
// Raw SQL runs on the system client: every statement names its owner and schedule itself.

const DAY_MS = 86_400_000;
export const PRUNE_BATCH = 5_000;

export type PruneResult = { aggregated: number; runs: number; analyses: number; ticks: number; done: boolean };

/** Midnight UTC `days` before `now`'s day: a day is pruned whole or not at all. */
export const retentionCutoff = (now: Date, days: number) => new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS - days * DAY_MS);

type Target = { id: string; ownerId: string; days: number | null; plan: string | null };

/** Keeps every not yet aggregated day before `cutoff` of one schedule as a RunDailyAggregate row. */
export async function aggregateDays(t: { id: string; ownerId: string }, cutoff: Date): Promise<number> {
  return systemDb().$executeRaw`
    INSERT INTO "RunDailyAggregate" (id, "ownerId", "scheduledReviewId", day, total, completed, failed, skipped, other,
      "healthScoreSum", "healthScoreCount", "durationMsSum", "durationCount", "durationP50Ms", "durationP95Ms", "durationMaxMs")
    SELECT 'agg_' || md5(r."scheduledReviewId" || date_trunc('day', r."scheduledFor")::date::text), ${t.ownerId}, r."scheduledReviewId",
      date_trunc('day', r."scheduledFor")::date, count(*),
      count(*) FILTER (WHERE r.status = 'COMPLETED'), count(*) FILTER (WHERE r.status = 'FAILED'),
      count(*) FILTER (WHERE r.status = 'SKIPPED'), count(*) FILTER (WHERE r.status IN ('QUEUED', 'RUNNING')),
      COALESCE(sum(r."healthScore") FILTER (WHERE r.status = 'COMPLETED'), 0), count(r."healthScore") FILTER (WHERE r.status = 'COMPLETED'),
      COALESCE(sum(r."durationMs"), 0), count(r."durationMs"),
      round(percentile_cont(0.5) WITHIN GROUP (ORDER BY r."durationMs")), round(percentile_cont(0.95) WITHIN GROUP (ORDER BY r."durationMs")),
      max(r."durationMs")
    FROM "ReviewRun" r
    WHERE r."scheduledReviewId" = ${t.id} AND r."ownerId" = ${t.ownerId} AND r."scheduledFor" < ${cutoff}
      AND r."scheduledFor" >= COALESCE(
        (SELECT max(a.day) + 1 FROM "RunDailyAggregate" a WHERE a."scheduledReviewId" = ${t.id})::timestamp, '-infinity'::timestamp)
    GROUP BY r."scheduledReviewId", date_trunc('day', r."scheduledFor")
    ON CONFLICT ("scheduledReviewId", day) DO NOTHING`;
}

/** Deletes up to `limit` runs of one schedule before `cutoff`, with the analyses they link to. */
async function deleteRuns(t: { id: string; ownerId: string }, cutoff: Date, limit: number): Promise<{ runs: number; analyses: number }> {
  const [row] = await systemDb().$queryRaw<{ runs: bigint; analyses: bigint }[]>`
    WITH doomed AS (
      SELECT id, "analysisId" FROM "ReviewRun"
      WHERE "scheduledReviewId" = ${t.id} AND "ownerId" = ${t.ownerId} AND "scheduledFor" < ${cutoff} LIMIT ${limit}
    ), runs AS (
      DELETE FROM "ReviewRun" r USING doomed d WHERE r.id = d.id RETURNING d."analysisId"
    ), analyses AS (
      DELETE FROM "Analysis" a USING runs WHERE a.id = runs."analysisId" AND a."ownerId" = ${t.ownerId} RETURNING a.id
    )
    SELECT (SELECT count(*) FROM runs) AS runs, (SELECT count(*) FROM analyses) AS analyses`;
  // Analyses no run links to any more (their run was replaced or removed) go by their own age.
  const orphans = await systemDb().$executeRaw`
    DELETE FROM "Analysis" WHERE id IN (
      SELECT a.id FROM "Analysis" a
      WHERE a."ownerId" = ${t.ownerId} AND a."scheduledReviewId" = ${t.id} AND a."createdAt" < ${cutoff}
        AND NOT EXISTS (SELECT 1 FROM "ReviewRun" r WHERE r."analysisId" = a.id)
      LIMIT ${limit})`;
  return { runs: Number(row?.runs ?? 0), analyses: Number(row?.analyses ?? 0) + orphans };
}

async function pruneTicks(now: Date, limit: number): Promise<number> {
  const before = new Date(now.getTime() - TICK_RETENTION_DAYS * DAY_MS);
  return systemDb().$executeRaw`
    DELETE FROM "SchedulerTick" WHERE id IN (SELECT id FROM "SchedulerTick" WHERE "startedAt" < ${before} LIMIT ${limit})`;
}

/** One bounded pass; `done` once nothing older than retention is left. */
export async function pruneHistory(now = new Date(), batch = PRUNE_BATCH): Promise<PruneResult> {
  const targets = await systemDb().$queryRaw<Target[]>`
    SELECT s.id, s."ownerId", w."runRetentionDays" AS days, w.plan
    FROM "ScheduledReview" s LEFT JOIN "WorkspaceSettings" w ON w."ownerId" = s."ownerId"
    ORDER BY s.id`;
  const result: PruneResult = { aggregated: 0, runs: 0, analyses: 0, ticks: 0, done: true };
  let budget = batch;
  for (const t of targets) {
    if (budget <= 0) {
      result.done = false; // maybe more: the next pass finds out
      break;
    }
    // The plan is the one last seen in a session (lib/workspace/plan-seen.ts): free keeps 30 days even unset.
    const cutoff = retentionCutoff(now, effectiveRunRetentionDays(t.days, t.plan === null ? null : asPlan(t.plan)));
    const old = await systemDb().reviewRun.findFirst({ where: { scheduledReviewId: t.id, scheduledFor: { lt: cutoff } }, select: { id: true } });
    const oldAnalysis = old ? null : await systemDb().analysis.findFirst({ where: { scheduledReviewId: t.id, createdAt: { lt: cutoff }, run: null }, select: { id: true } });
    if (!old && !oldAnalysis) continue;
    result.aggregated += await aggregateDays(t, cutoff);
    const room = budget;
    const deleted = await deleteRuns(t, cutoff, room);
    result.runs += deleted.runs;
    result.analyses += deleted.analyses;
    budget -= deleted.runs;
    // The budget ran out on this schedule (its runs or orphaned analyses): more may be left.
    if (deleted.runs >= room || deleted.analyses >= room) result.done = false;
  }
  result.ticks = await pruneTicks(now, batch);
  if (result.ticks === batch) result.done = false;
  return result;
}

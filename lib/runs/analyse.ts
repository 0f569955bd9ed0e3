import { createHash } from "node:crypto";
import { NonRetriableError, RetryAfterError } from "inngest";
import { crmClientFor } from "@/lib/crm/client";
import { readScanScope } from "@/lib/crm/scope";
import { isCrmError } from "@/lib/crm/types";
import { systemDb, Prisma } from "@/lib/db";
import { analyzeDeals } from "@/lib/reviews/analyze";
import type { FindingTable } from "@/lib/reviews/findings";
import { resolveRuleSettings, type AnalysisResult } from "@/lib/reviews/types";
import { RunGoneError } from "@/lib/errors";
import { noteAttempt, recordStepError, type RunMetrics } from "@/lib/runs/lifecycle";

// The "analyse" step of a review: fetch the open deals from the schedule's CRM connection, run the
// rules, store the Analysis and its findings in Postgres, and return only ids and counts.

/**
 * How long one fetch of a connection's open deals may take before it is cut off as crm_timeout
 * (retried). Per provider, because HubSpot and Salesforce pace their paging:
 * - Demo CRM: 60 s (in-process, no pacing; a hang is the only way to get near it).
 * - HubSpot: 15 min. 200 deals a search at 5 searches/s: 100,000 open deals = 500 searches = 100 s of
 *   pacing alone, plus latency, the pipelines/owners reads, and 429 waits (a TEN_SECONDLY_ROLLING
 *   answer without Retry-After waits 10 s, up to 8 times per call).
 * - Salesforce: 15 min. 2,000 records a queryMore page, each a round trip of seconds on a large org,
 *   plus the describe call and 5xx back-off.
 * A fetch still longer than this fails the step as crm_timeout and Inngest retries it.
 */
export const CRM_FETCH_BUDGET_MS: Record<"DEMO" | "HUBSPOT" | "SALESFORCE", number> = {
  DEMO: 60_000,
  HUBSPOT: 15 * 60_000,
  SALESFORCE: 15 * 60_000,
};
const FINDINGS_CHUNK = 10_000;

const withCode = <E extends Error>(err: E, code: string): E => Object.assign(err, { code });

/**
 * CRM failures as Inngest should treat them: auth and malformed data fail at once (a retry cannot
 * help), a rate limit waits as long as the CRM asked, the rest is retried. The CrmError stays the
 * `cause` and its code is copied on top, so onFailure can record it.
 */
export function toStepError(err: unknown): unknown {
  if (!isCrmError(err)) return err;
  const options = { cause: err };
  if (!err.retryable) return withCode(new NonRetriableError(err.message, options), err.code);
  if (err.retryAfterMs) return withCode(new RetryAfterError(err.message, err.retryAfterMs, options), err.code);
  return withCode(new Error(err.message, options), err.code);
}

function settingsOf(raw: Prisma.JsonValue) {
  try {
    return resolveRuleSettings(raw);
  } catch (err) {
    throw withCode(new NonRetriableError("The schedule's rule settings are invalid; edit the schedule to fix them", { cause: err }), "invalid_rule_settings");
  }
}

/**
 * The analysis of one Inngest run of a review: the same id for every execution of the "analyse" step
 * of that run (a retry, or a duplicate running at the same time), a new one for a replay.
 */
export function analysisIdFor(runId: string, inngestRunId: string): string {
  return `an_${createHash("sha256").update(`${runId}\u0000${inngestRunId}`).digest("base64url").slice(0, 24)}`;
}

type StoredMetrics = Omit<RunMetrics, "analysisId">;

/**
 * One multi-row INSERT per chunk, the columns sent as arrays: Prisma's createMany spent 13-18x
 * plain pg's time building and checking the rows. Ids are the analysis id and the finding's index.
 * Reads the engine's finding columns (rows [from, to) of the table), never Finding objects.
 */
async function insertFindings(tx: Prisma.TransactionClient, analysisId: string, table: FindingTable, from: number, to: number) {
  const n = to - from;
  const dealId = new Array<string>(n), dealName = new Array<string>(n), amount = new Array<number | null>(n), stage = new Array<string>(n);
  const rule = new Array<string>(n), severity = new Array<string>(n), message = new Array<string>(n);
  for (let k = 0; k < n; k++) {
    const d = table.deals[table.deal[from + k]!]!;
    dealId[k] = d.id;
    dealName[k] = d.name;
    amount[k] = d.amount;
    stage[k] = d.stage;
    rule[k] = table.ruleAt(from + k);
    severity[k] = table.severityAt(from + k);
    message[k] = table.messageAt(from + k);
  }
  await tx.$executeRaw`
    INSERT INTO "Finding" (id, "analysisId", "dealId", "dealName", amount, stage, rule, severity, message)
    SELECT ${analysisId} || '_' || (${from}::int + n), ${analysisId}, v."dealId", v."dealName", v.amount, v.stage, v.rule, v.severity::"Severity", v.message
    FROM unnest(${dealId}::text[], ${dealName}::text[], ${amount}::float8[], ${stage}::text[],
                ${rule}::text[], ${severity}::text[], ${message}::text[])
         WITH ORDINALITY AS v("dealId", "dealName", amount, stage, rule, severity, message, n)`;
}
const METRICS_SELECT = { dealsAnalyzed: true, healthScore: true, issuesFound: true, highRiskDeals: true } as const;

export async function analyseRun(args: { runId: string; inngestRunId: string; attempt?: number; now?: Date }): Promise<RunMetrics> {
  const { runId, now = new Date() } = args;
  const analysisId = analysisIdFor(runId, args.inngestRunId);
  await noteAttempt(runId, args.attempt ?? 0);
  const run = await systemDb().reviewRun.findUnique({
    where: { id: runId },
    select: {
      ownerId: true,
      analysisId: true,
      scheduledReview: {
        select: { id: true, ruleSettings: true, scanScope: true, crmConnection: { select: { id: true, ownerId: true, provider: true, instanceUrl: true, status: true } } },
      },
    },
  });
  if (!run) throw new RunGoneError(runId);
  // This step already stored its analysis (a duplicate running after the first finished): reuse it.
  const stored = await systemDb().analysis.findUnique({ where: { id: analysisId }, select: METRICS_SELECT });
  if (stored) return { analysisId, ...stored };
  const settings = settingsOf(run.scheduledReview.ruleSettings);

  let result: AnalysisResult;
  try {
    const client = crmClientFor(run.scheduledReview.crmConnection, readScanScope(run.scheduledReview.scanScope));
    const budgetMs = CRM_FETCH_BUDGET_MS[run.scheduledReview.crmConnection.provider];
    const deals = await client.fetchOpenDeals({ signal: AbortSignal.timeout(budgetMs) });
    result = analyzeDeals(deals, settings, now);
  } catch (err) {
    const stepError = toStepError(err);
    // Best effort: failing to note the error must not replace it.
    await recordStepError(runId, stepError).catch(() => undefined);
    throw stepError;
  }
  const metrics = await storeAnalysis(runId, analysisId, { ownerId: run.ownerId, scheduleId: run.scheduledReview.id }, result);
  return { analysisId, ...metrics };
}

/**
 * One transaction, serialised per run by a lock on its row: the analysis, its findings, the run's link
 * to it, and the removal of the run's earlier analysis (from a replay), so a run never has two and
 * none is left orphaned. A concurrent copy of the same step waits for the lock, then finds the
 * analysis stored and answers with it.
 */
export async function storeAnalysis(
  runId: string,
  analysisId: string,
  ref: { ownerId: string; scheduleId: string },
  result: AnalysisResult,
): Promise<StoredMetrics> {
  return systemDb().$transaction(
    async (tx) => {
      const locked = await tx.$queryRaw<{ analysisId: string | null; status: string }[]>`
        SELECT "analysisId", status::text FROM "ReviewRun" WHERE id = ${runId} FOR UPDATE`;
      const row = locked[0];
      if (!row) throw new RunGoneError(runId);
      const stored = await tx.analysis.findUnique({ where: { id: analysisId }, select: METRICS_SELECT });
      if (stored) return stored;
      if (row.status !== "RUNNING") throw new NonRetriableError(`Run ${runId} was failed while it ran; it stays failed`);
      const metrics = {
        dealsAnalyzed: result.dealsAnalyzed,
        healthScore: result.healthScore,
        issuesFound: result.issuesFound,
        highRiskDeals: result.highRiskDeals,
      };
      await tx.analysis.create({
        data: { id: analysisId, ownerId: ref.ownerId, scheduledReviewId: ref.scheduleId, totalAmount: result.totalAmount, ...metrics },
        select: { id: true },
      });
      const { table } = result;
      for (let i = 0; i < table.length; i += FINDINGS_CHUNK) await insertFindings(tx, analysisId, table, i, Math.min(i + FINDINGS_CHUNK, table.length));
      // An earlier failed attempt's error no longer applies.
      await tx.reviewRun.update({ where: { id: runId }, data: { analysisId, errorCode: null, errorMessage: null } });
      if (row.analysisId && row.analysisId !== analysisId) await tx.analysis.deleteMany({ where: { id: row.analysisId } });
      return metrics;
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
}

import { NonRetriableError, RetryAfterError } from "inngest";
import { crmClientFor } from "@/lib/crm/client";
import { isCrmError } from "@/lib/crm/types";
import { systemDb, Prisma } from "@/lib/db";
import { analyzeDeals } from "@/lib/reviews/analyze";
import { resolveRuleSettings, type AnalysisResult } from "@/lib/reviews/types";
import { RunGoneError } from "@/lib/errors";
import { noteAttempt, recordStepError, type RunMetrics } from "@/lib/runs/lifecycle";

// The "analyse" step of a review: fetch the open deals from the schedule's CRM connection, run the
// rules, store the Analysis and its findings in Postgres, and return only ids and counts.

/** A connector that hangs is cut off here and fails as crm_timeout (retried). */
export const CRM_FETCH_TIMEOUT_MS = 60_000;
const FINDINGS_CHUNK = 5_000;

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

export async function analyseRun(args: { runId: string; attempt?: number; now?: Date }): Promise<RunMetrics> {
  const { runId, now = new Date() } = args;
  await noteAttempt(runId, args.attempt ?? 0);
  const run = await systemDb().reviewRun.findUnique({
    where: { id: runId },
    select: {
      ownerId: true,
      analysisId: true,
      scheduledReview: {
        select: { id: true, ruleSettings: true, crmConnection: { select: { id: true, provider: true, instanceUrl: true, status: true } } },
      },
    },
  });
  if (!run) throw new RunGoneError(runId);
  const settings = settingsOf(run.scheduledReview.ruleSettings);

  let result: AnalysisResult;
  try {
    const client = crmClientFor(run.scheduledReview.crmConnection);
    const deals = await client.fetchOpenDeals({ signal: AbortSignal.timeout(CRM_FETCH_TIMEOUT_MS) });
    result = analyzeDeals(deals, settings, now);
  } catch (err) {
    const stepError = toStepError(err);
    // Best effort: failing to note the error must not replace it.
    await recordStepError(runId, stepError).catch(() => undefined);
    throw stepError;
  }
  const analysisId = await storeAnalysis(runId, { ownerId: run.ownerId, scheduleId: run.scheduledReview.id, previousId: run.analysisId }, result);
  return {
    analysisId,
    dealsAnalyzed: result.dealsAnalyzed,
    healthScore: result.healthScore,
    issuesFound: result.issuesFound,
    highRiskDeals: result.highRiskDeals,
  };
}

/**
 * One transaction: the analysis, its findings, and the run's link to it. A retry or a replay
 * replaces the run's earlier analysis, so a run never has two and none is left orphaned.
 */
async function storeAnalysis(
  runId: string,
  ref: { ownerId: string; scheduleId: string; previousId: string | null },
  result: AnalysisResult,
): Promise<string> {
  try {
    return await systemDb().$transaction(
      async (tx) => {
        const analysis = await tx.analysis.create({
          data: {
            ownerId: ref.ownerId,
            scheduledReviewId: ref.scheduleId,
            dealsAnalyzed: result.dealsAnalyzed,
            healthScore: result.healthScore,
            issuesFound: result.issuesFound,
            highRiskDeals: result.highRiskDeals,
            totalAmount: result.totalAmount,
          },
          select: { id: true },
        });
        for (let i = 0; i < result.findings.length; i += FINDINGS_CHUNK) {
          await tx.finding.createMany({
            data: result.findings.slice(i, i + FINDINGS_CHUNK).map((f) => ({
              analysisId: analysis.id,
              dealId: f.dealId,
              dealName: f.dealName,
              amount: f.amount,
              stage: f.stage,
              rule: f.rule,
              severity: f.severity,
              message: f.message,
            })),
          });
        }
        // An earlier failed attempt's error no longer applies.
        await tx.reviewRun.update({ where: { id: runId }, data: { analysisId: analysis.id, errorCode: null, errorMessage: null } });
        if (ref.previousId) await tx.analysis.deleteMany({ where: { id: ref.previousId } });
        return analysis.id;
      },
      { timeout: 60_000, maxWait: 10_000 },
    );
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2025") throw new RunGoneError(runId);
    throw err;
  }
}

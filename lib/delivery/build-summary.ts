// ReviewSummary for one run: its analysis compared with the previous completed run of the same
// schedule. Deterministic for a given run, so every retry renders the same message.
import { systemDb } from "@/lib/db";
import { env } from "@/lib/env";
import { MAX_TOP_RISKS, type ReviewSummary, type TopRisk } from "@/lib/delivery/summary";
import { DeliveryError } from "@/lib/delivery/url-safety";
import { RunGoneError } from "@/lib/errors";
import { SEVERITY_WEIGHT, dealRisk, healthBand, isHighRisk } from "@/lib/reviews/score";
import type { Severity } from "@/lib/reviews/types";

type IssueRef = { dealId: string; rule: string };
type FindingRow = IssueRef & { dealName: string; amount: number | null; stage: string | null; severity: Severity; message: string };

const issueKey = (f: IssueRef) => `${f.dealId}\u0000${f.rule}`;

/** Issues are (deal, rule) pairs: new = present now but not last time; resolved = the reverse. */
export function compareIssues(current: readonly IssueRef[], previous: readonly IssueRef[] | null) {
  const now = new Set(current.map(issueKey));
  // First run: nothing to compare with, so every current issue is new.
  if (previous === null) return { newIssues: now.size, resolvedIssues: 0 };
  const before = new Set(previous.map(issueKey));
  let newIssues = 0;
  let resolvedIssues = 0;
  for (const k of now) if (!before.has(k)) newIssues++;
  for (const k of before) if (!now.has(k)) resolvedIssues++;
  return { newIssues, resolvedIssues };
}

/** High-risk deals by the score's own definition, riskiest (then largest) first, with their findings as reasons. */
export function topRisks(findings: readonly FindingRow[], limit = MAX_TOP_RISKS): TopRisk[] {
  const byDeal = new Map<string, FindingRow[]>();
  for (const f of findings) {
    const list = byDeal.get(f.dealId);
    if (list) list.push(f);
    else byDeal.set(f.dealId, [f]);
  }
  const deals = [...byDeal.values()]
    .map((fs) => ({ fs, risk: dealRisk(fs.map((f) => f.severity)) }))
    .filter((d) => isHighRisk(d.risk));
  deals.sort(
    (a, b) =>
      b.risk - a.risk ||
      (b.fs[0].amount ?? -1) - (a.fs[0].amount ?? -1) ||
      a.fs[0].dealName.localeCompare(b.fs[0].dealName),
  );
  return deals.slice(0, limit).map(({ fs }) => ({
    dealName: fs[0].dealName,
    amount: fs[0].amount,
    stage: fs[0].stage,
    reasons: [...fs].sort((a, b) => SEVERITY_WEIGHT[b.severity] - SEVERITY_WEIGHT[a.severity]).map((f) => f.message),
  }));
}

export function analysisUrl(analysisId: string): string {
  return `${env().APP_URL.replace(/\/+$/, "")}/analysis/${encodeURIComponent(analysisId)}`;
}

const findingSelect = {
  dealId: true,
  dealName: true,
  amount: true,
  stage: true,
  rule: true,
  severity: true,
  message: true,
} as const;

export async function buildSummary(runId: string): Promise<ReviewSummary> {
  const run = await systemDb().reviewRun.findUnique({
    where: { id: runId },
    include: { scheduledReview: { select: { name: true } }, analysis: { include: { findings: { select: findingSelect } } } },
  });
  if (!run) throw new RunGoneError(runId);
  const analysis = run.analysis;
  if (!analysis) {
    throw new DeliveryError("The run has no stored analysis to deliver", { code: "analysis_missing", retryable: false });
  }

  // "Previous" is fixed by the slot, not by completion order, so a retry or replay compares with the same run.
  const previous = await systemDb().reviewRun.findFirst({
    where: {
      ownerId: run.ownerId,
      scheduledReviewId: run.scheduledReviewId,
      status: "COMPLETED",
      id: { not: run.id },
      analysisId: { not: null },
      scheduledFor: { lt: run.scheduledFor },
    },
    orderBy: { scheduledFor: "desc" },
    select: {
      healthScore: true,
      analysis: { select: { healthScore: true, findings: { select: { dealId: true, rule: true } } } },
    },
  });

  const { newIssues, resolvedIssues } = compareIssues(analysis.findings, previous?.analysis?.findings ?? null);
  return {
    scheduleName: run.scheduledReview.name,
    healthScore: analysis.healthScore,
    previousHealthScore: previous ? (previous.healthScore ?? previous.analysis?.healthScore ?? null) : null,
    band: healthBand(analysis.healthScore),
    dealsAnalyzed: analysis.dealsAnalyzed,
    issuesFound: analysis.issuesFound,
    highRiskDeals: analysis.highRiskDeals,
    newIssues,
    resolvedIssues,
    topRisks: topRisks(analysis.findings),
    analysisUrl: analysisUrl(analysis.id),
    runAt: (run.startedAt ?? run.scheduledFor).toISOString(),
  };
}

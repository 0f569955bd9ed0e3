import { forTenant, Prisma, type TenantDb } from "@/lib/db";
import type { Finding, RunStatus } from "@/lib/generated/prisma/client";
import { decodeCursor, encodeCursor } from "@/lib/cursor";
import { notFound } from "@/lib/errors";
import { lower } from "@/lib/format";
import { RULE_LABELS } from "@/lib/reviews/rules";
import { dealRisk, healthBand, isHighRisk, SEVERITY_WEIGHT } from "@/lib/reviews/score";
import { RULE_IDS, SEVERITIES, type RuleId, type Severity } from "@/lib/reviews/types";
import {
  CHANGE_LIST_LIMIT,
  FINDINGS_LIMIT,
  type AnalysisChangeDto,
  type AnalysisDto,
  type FindingDto,
  type IssueChangeDto,
} from "@/lib/runs/analysis-schemas";
import { toHealthPoints, type HealthPoint, type RunDto } from "@/lib/runs/schemas";
import { serializeRun } from "@/lib/runs/serialize";
import type { RUN_STATUSES } from "@/lib/schedules/schemas";

// The read side of runs: history lists, one run, one analysis with its change since the previous run.

export type ListRunsOptions = { status?: (typeof RUN_STATUSES)[number]; cursor?: string; limit?: number };

// Deliveries without their `payload` (what was sent, several KB each): no run reader shows it.
const deliveriesInclude = {
  deliveries: {
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true, channel: true, target: true, status: true, providerMessageId: true, attempts: true, errorCode: true, errorMessage: true, sentAt: true },
  },
} satisfies Prisma.ReviewRunInclude;
const runInclude = { ...deliveriesInclude, scheduledReview: { select: { name: true } } } satisfies Prisma.ReviewRunInclude;

type PageKey = { id: string; createdAt: Date };

/**
 * One page of a schedule's run keys, newest first. The row-value comparison is an index condition on
 * ("scheduledReviewId"[, status], "createdAt" DESC, id DESC): page 1 and page 20,000 read the same
 * few index entries (tests/integration/list-plans.test.ts holds the plan at 1M runs).
 */
export function runPageSql(ownerId: string, scheduleId: string, status: RunStatus | null, after: PageKey | null, take: number) {
  return Prisma.sql`
    SELECT id, "createdAt" FROM "ReviewRun"
    WHERE "ownerId" = ${ownerId} AND "scheduledReviewId" = ${scheduleId}
      ${status ? Prisma.sql`AND status = ${status}::"RunStatus"` : Prisma.empty}
      ${after ? Prisma.sql`AND ("createdAt", id) < (${after.createdAt.toISOString()}::timestamp(3), ${after.id})` : Prisma.empty}
    ORDER BY "createdAt" DESC, id DESC
    LIMIT ${take}`;
}

/** Runs of one schedule, newest first by (createdAt, id), so paging never skips or repeats a row. */
export async function listRuns(ownerId: string, scheduleId: string, opts: ListRunsOptions = {}) {
  const tenantDb = forTenant(ownerId);
  const schedule = await tenantDb.scheduledReview.findFirst({ where: { id: scheduleId }, select: { name: true } });
  if (!schedule) throw notFound("Schedule");
  const limit = opts.limit ?? 20;
  const after = opts.cursor ? decodeCursor(opts.cursor) : null;
  const status = opts.status ? (opts.status.toUpperCase() as RunStatus) : null;
  // Raw SQL is not scoped: the query filters by "ownerId" itself.
  const keys = await tenantDb.$queryRaw<PageKey[]>(runPageSql(ownerId, scheduleId, status, after, limit + 1));
  const page = keys.slice(0, limit);
  // Every run on the page belongs to the schedule just read: its name comes from there, not a query per page.
  const rows = await tenantDb.reviewRun.findMany({ where: { id: { in: page.map((k) => k.id) } }, include: deliveriesInclude });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const last = page.at(-1);
  return {
    // A row deleted between the two reads is left out rather than failing the page.
    data: page.flatMap((k) => (byId.has(k.id) ? [serializeRun({ ...byId.get(k.id)!, scheduledReview: schedule })] : [])),
    next_cursor: keys.length > limit && last ? encodeCursor(last.createdAt, last.id) : null,
  };
}

export async function getRun(ownerId: string, runId: string): Promise<RunDto> {
  const run = await forTenant(ownerId).reviewRun.findFirst({ where: { id: runId }, include: runInclude });
  if (!run) throw notFound("Run");
  return serializeRun(run);
}

/** The charts: the last `count` completed runs of a schedule, oldest first. */
export async function healthSeries(ownerId: string, scheduleId: string, count = 30): Promise<HealthPoint[]> {
  const { data } = await listRuns(ownerId, scheduleId, { status: "completed", limit: count });
  return toHealthPoints(data);
}

export const ruleLabel = (rule: string) => RULE_LABELS[rule as RuleId] ?? rule;

type FindingRow = Pick<Finding, "id" | "dealId" | "dealName" | "amount" | "stage" | "rule" | "severity" | "message">;

/** The one place a finding becomes public JSON (the analysis and its findings pages). */
export const findingDto = (f: FindingRow, highRisk: boolean): FindingDto => ({
  id: f.id,
  deal_id: f.dealId,
  deal_name: f.dealName,
  amount: f.amount,
  stage: f.stage,
  rule: f.rule,
  rule_label: ruleLabel(f.rule),
  severity: lower(f.severity),
  message: f.message,
  high_risk: highRisk,
});

/** High-risk deals first (riskiest, then largest), each deal's findings together, most severe first. */
function orderFindings(findings: Finding[]): FindingDto[] {
  const severitiesByDeal = new Map<string, Severity[]>();
  for (const f of findings) {
    const list = severitiesByDeal.get(f.dealId);
    if (list) list.push(f.severity);
    else severitiesByDeal.set(f.dealId, [f.severity]);
  }
  const risk = new Map([...severitiesByDeal].map(([deal, sev]) => [deal, dealRisk(sev)]));
  const sorted = [...findings].sort(
    (a, b) =>
      risk.get(b.dealId)! - risk.get(a.dealId)! ||
      (b.amount ?? -1) - (a.amount ?? -1) ||
      a.dealName.localeCompare(b.dealName) ||
      a.dealId.localeCompare(b.dealId) ||
      SEVERITY_WEIGHT[b.severity] - SEVERITY_WEIGHT[a.severity] ||
      a.rule.localeCompare(b.rule),
  );
  return sorted.map((f) => findingDto(f, isHighRisk(risk.get(f.dealId)!)));
}

type ChangeRow = { dealId: string; dealName: string; rule: string; severity: Severity; message: string; total: bigint };

/** Findings of `of` whose (dealId, rule) is absent from `other`: new issues, or (swapped) resolved ones. */
async function issuesNotIn(tenantDb: TenantDb, of: string, other: string): Promise<{ count: number; items: IssueChangeDto[] }> {
  // Raw SQL is not scoped: both analysis ids come from scoped reads of this tenant.
  const rows = await tenantDb.$queryRaw<ChangeRow[]>(Prisma.sql`
    SELECT f."dealId", f."dealName", f."rule", f."severity", f."message", count(*) OVER () AS total
    FROM "Finding" f
    WHERE f."analysisId" = ${of}
      AND NOT EXISTS (SELECT 1 FROM "Finding" p WHERE p."analysisId" = ${other} AND p."dealId" = f."dealId" AND p."rule" = f."rule")
    ORDER BY f."severity" DESC, f."dealName", f."rule"
    LIMIT ${CHANGE_LIST_LIMIT}`);
  return {
    count: Number(rows[0]?.total ?? 0),
    items: rows.map((r) => ({
      deal_id: r.dealId,
      deal_name: r.dealName,
      rule: r.rule,
      rule_label: ruleLabel(r.rule),
      severity: lower(r.severity),
      message: r.message,
    })),
  };
}

type AnalysisRef = { id: string; scheduledReviewId: string; createdAt: Date; healthScore: number };

/** Compared with the analysis of the previous completed run of the same schedule; null if none. */
async function changeSincePrevious(tenantDb: TenantDb, current: AnalysisRef): Promise<AnalysisChangeDto | null> {
  const previous = await tenantDb.analysis.findFirst({
    where: {
      scheduledReviewId: current.scheduledReviewId,
      run: { is: { status: "COMPLETED" } },
      OR: [{ createdAt: { lt: current.createdAt } }, { createdAt: current.createdAt, id: { lt: current.id } }],
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    include: { run: { select: { id: true } } },
  });
  if (!previous) return null;
  const [added, resolved] = await Promise.all([issuesNotIn(tenantDb, current.id, previous.id), issuesNotIn(tenantDb, previous.id, current.id)]);
  return {
    previous_analysis_id: previous.id,
    previous_run_id: previous.run?.id ?? null,
    previous_health_score: previous.healthScore,
    health_delta: current.healthScore - previous.healthScore,
    new_issues_count: added.count,
    resolved_issues_count: resolved.count,
    new_issues: added.items,
    resolved_issues: resolved.items,
  };
}

export async function getAnalysis(ownerId: string, analysisId: string): Promise<AnalysisDto> {
  const tenantDb = forTenant(ownerId);
  const analysis = await tenantDb.analysis.findFirst({ where: { id: analysisId }, include: { run: { select: { id: true } } } });
  if (!analysis) throw notFound("Analysis");
  const where = { analysisId: analysis.id };
  const [schedule, byRule, bySeverity, findings, change] = await Promise.all([
    tenantDb.scheduledReview.findFirst({ where: { id: analysis.scheduledReviewId }, select: { name: true } }),
    tenantDb.finding.groupBy({ by: ["rule"], where, _count: { _all: true } }),
    tenantDb.finding.groupBy({ by: ["severity"], where, _count: { _all: true } }),
    // Most severe first, so a truncated list still holds every high-risk finding.
    tenantDb.finding.findMany({
      where,
      orderBy: [{ severity: "desc" }, { amount: { sort: "desc", nulls: "last" } }, { id: "asc" }],
      take: FINDINGS_LIMIT,
    }),
    changeSincePrevious(tenantDb, analysis),
  ]);
  // Known rules in their catalogue order; an unknown (future) rule id sorts last.
  const ruleOrder = (rule: string) => {
    const i = (RULE_IDS as readonly string[]).indexOf(rule);
    return i < 0 ? RULE_IDS.length : i;
  };
  const severityCount = (s: Severity) => bySeverity.find((g) => g.severity === s)?._count._all ?? 0;
  return {
    id: analysis.id,
    run_id: analysis.run?.id ?? null,
    schedule_id: analysis.scheduledReviewId,
    schedule_name: schedule?.name ?? "",
    created_at: analysis.createdAt.toISOString(),
    deals_analyzed: analysis.dealsAnalyzed,
    health_score: analysis.healthScore,
    band: healthBand(analysis.healthScore),
    issues_found: analysis.issuesFound,
    high_risk_deals: analysis.highRiskDeals,
    total_amount: analysis.totalAmount,
    counts_by_rule: byRule
      .map((g) => ({ rule: g.rule, label: ruleLabel(g.rule), count: g._count._all }))
      .sort((a, b) => b.count - a.count || ruleOrder(a.rule) - ruleOrder(b.rule)),
    counts_by_severity: Object.fromEntries(SEVERITIES.map((s) => [lower(s), severityCount(s)])) as AnalysisDto["counts_by_severity"],
    findings: orderFindings(findings),
    findings_total: byRule.reduce((n, g) => n + g._count._all, 0),
    change,
  };
}

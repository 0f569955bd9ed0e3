import { compileRules, evaluateDeal } from "./rules";
import {
  addDealRisk,
  createScoreAccumulator,
  finalizeHealthScore,
  healthBand,
  isHighRisk,
  SEVERITY_WEIGHT,
} from "./score";
import {
  RULE_IDS,
  SEVERITIES,
  type AnalysisResult,
  type Deal,
  type Finding,
  type RuleId,
  type RuleSettings,
  type Severity,
} from "./types";

function zeroCounts<K extends string>(keys: readonly K[]): Record<K, number> {
  const out = {} as Record<K, number>;
  for (const k of keys) out[k] = 0;
  return out;
}

/**
 * Runs every enabled rule over the deals and scores the pipeline in one pass.
 * Pure: the result depends only on the arguments (`now` fixes "today").
 * Deals are expected to be open deals (connectors only fetch those).
 */
export function analyzeDeals(deals: readonly Deal[], settings: RuleSettings, now: Date): AnalysisResult {
  const compiled = compileRules(settings, now);
  const findings: Finding[] = [];
  const highRiskDealIds: string[] = [];
  const countsByRule = zeroCounts<RuleId>(RULE_IDS);
  const countsBySeverity = zeroCounts<Severity>(SEVERITIES);
  const acc = createScoreAccumulator();
  let totalAmount = 0;

  for (let i = 0; i < deals.length; i++) {
    const deal = deals[i];
    const amount = deal.amount;
    if (amount !== null && Number.isFinite(amount)) totalAmount += amount;

    const start = findings.length;
    const added = evaluateDeal(compiled, deal, findings);
    let risk = 0;
    for (let j = start; j < start + added; j++) {
      const f = findings[j];
      risk += SEVERITY_WEIGHT[f.severity];
      countsByRule[f.rule]++;
      countsBySeverity[f.severity]++;
    }
    if (risk > 1) risk = 1;
    if (added > 0 && isHighRisk(risk)) highRiskDealIds.push(deal.id);
    addDealRisk(acc, amount, risk);
  }

  const healthScore = finalizeHealthScore(acc);
  return {
    dealsAnalyzed: deals.length,
    issuesFound: findings.length,
    highRiskDeals: highRiskDealIds.length,
    highRiskDealIds,
    healthScore,
    band: healthBand(healthScore),
    totalAmount,
    countsByRule,
    countsBySeverity,
    findings,
  };
}

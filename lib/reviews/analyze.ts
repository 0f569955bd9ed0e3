import { FindingTable } from "./findings";
import { compileRules, evaluateDeal } from "./rules";
import {
  addDealRisk,
  createScoreAccumulator,
  finalizeHealthScore,
  healthBand,
  isHighRisk,
  SEVERITY_WEIGHT,
} from "./score";
import { RULE_IDS, SEVERITIES, type AnalysisResult, type Deal, type Finding, type RuleId, type RuleSettings, type Severity } from "./types";

function countsOf<K extends string>(keys: readonly K[], counts: Int32Array): Record<K, number> {
  const out = {} as Record<K, number>;
  keys.forEach((k, i) => (out[k] = counts[i]!));
  return out;
}

/** Severity weights by SEVERITY_CODE. */
const WEIGHT = Float64Array.from(SEVERITIES, (s) => SEVERITY_WEIGHT[s]);

/**
 * Runs every enabled rule over the deals and scores the pipeline in one pass.
 * Pure: the result depends only on the arguments (`now` fixes "today").
 * Deals are expected to be open deals (connectors only fetch those).
 * The findings are kept as columns (`table`); `findings` builds the objects on first read.
 */
export function analyzeDeals(deals: readonly Deal[], settings: RuleSettings, now: Date): AnalysisResult {
  const compiled = compileRules(settings, now);
  const table = new FindingTable(deals, Math.max(1024, deals.length * 3));
  const highRiskDealIds: string[] = [];
  const byRule = new Int32Array(RULE_IDS.length);
  const bySeverity = new Int32Array(SEVERITIES.length);
  const acc = createScoreAccumulator();
  let totalAmount = 0;

  for (let i = 0; i < deals.length; i++) {
    const deal = deals[i]!;
    const amount = deal.amount;
    if (amount !== null && Number.isFinite(amount)) totalAmount += amount;

    const start = table.length;
    const added = evaluateDeal(compiled, deal, i, table);
    let risk = 0;
    for (let j = start; j < start + added; j++) {
      const sev = table.severity[j]!;
      risk += WEIGHT[sev]!;
      byRule[table.rule[j]!]!++;
      bySeverity[sev]!++;
    }
    if (risk > 1) risk = 1;
    if (added > 0 && isHighRisk(risk)) highRiskDealIds.push(deal.id);
    addDealRisk(acc, amount, risk);
  }

  const healthScore = finalizeHealthScore(acc);
  let findings: Finding[] | undefined;
  return {
    dealsAnalyzed: deals.length,
    issuesFound: table.length,
    highRiskDeals: highRiskDealIds.length,
    highRiskDealIds,
    healthScore,
    band: healthBand(healthScore),
    totalAmount,
    countsByRule: countsOf<RuleId>(RULE_IDS, byRule),
    countsBySeverity: countsOf<Severity>(SEVERITIES, bySeverity),
    table,
    get findings() {
      return (findings ??= table.toArray());
    },
  };
}

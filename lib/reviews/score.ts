/**
 * Pipeline health score.
 *
 * 1. Severity weights: LOW = 0.1, MEDIUM = 0.25, HIGH = 0.5, CRITICAL = 1.0.
 * 2. Deal risk r_i = min(1, sum of the weights of the deal's findings); a clean deal has r_i = 0.
 * 3. Deal weight a_i = the deal's amount when it is a finite number > 0; otherwise (null, 0,
 *    negative) the mean of the known amounts, so deals without an amount still count. If no deal
 *    has a known amount, the amount term falls back to the count term.
 * 4. Pipeline risk R = 0.5 * (sum a_i * r_i / sum a_i)   (amount-weighted)
 *                    + 0.5 * (sum r_i / N)               (count-weighted)
 *    Blending keeps one huge deal from dominating while still making a risky large deal cost
 *    more than the same risk on a small one.
 * 5. healthScore = round(100 * (1 - R)), clamped to 0..100. An empty pipeline (N = 0) scores 100.
 * 6. Band: red when score < 60, yellow when score < 80, else green.
 *
 * High-risk deal: r_i >= 0.5, i.e. it has at least one HIGH or CRITICAL finding, or
 * lower-severity findings whose weights add up to 0.5 (e.g. two MEDIUM, or MEDIUM + 3 LOW).
 */
import { isMissingAmount } from "./rules";
import { BAND_LIMITS, healthBand } from "./bands";
import type { Severity } from "./types";

export const SEVERITY_WEIGHT: Readonly<Record<Severity, number>> = Object.freeze({
  LOW: 0.1,
  MEDIUM: 0.25,
  HIGH: 0.5,
  CRITICAL: 1,
});

export const HIGH_RISK_THRESHOLD = 0.5;
/** Share of the amount-weighted term in R; the rest is the count-weighted term. */
export const AMOUNT_SHARE = 0.5;

/** Deal risk from its findings' severities (step 2). */
export function dealRisk(severities: readonly Severity[]): number {
  let sum = 0;
  for (const s of severities) sum += SEVERITY_WEIGHT[s];
  return sum > 1 ? 1 : sum;
}

export function isHighRisk(risk: number): boolean {
  // Tolerate float error from summed weights (e.g. 0.1 * 5).
  return risk >= HIGH_RISK_THRESHOLD - 1e-9;
}

export { BAND_LIMITS, healthBand };

/** Running sums so the score is computed in the same single pass as the rules. */
export interface ScoreAccumulator {
  deals: number;
  riskSum: number;
  knownAmount: number;
  knownAmountRisk: number;
  knownCount: number;
  unknownCount: number;
  unknownRiskSum: number;
}

export function createScoreAccumulator(): ScoreAccumulator {
  return { deals: 0, riskSum: 0, knownAmount: 0, knownAmountRisk: 0, knownCount: 0, unknownCount: 0, unknownRiskSum: 0 };
}

export function addDealRisk(acc: ScoreAccumulator, amount: number | null, risk: number): void {
  acc.deals++;
  acc.riskSum += risk;
  if (amount === null || isMissingAmount(amount)) {
    acc.unknownCount++;
    acc.unknownRiskSum += risk;
  } else {
    acc.knownCount++;
    acc.knownAmount += amount;
    acc.knownAmountRisk += amount * risk;
  }
}

export function finalizeHealthScore(acc: ScoreAccumulator): number {
  if (acc.deals === 0) return 100;
  const countRisk = acc.riskSum / acc.deals;
  let amountRisk = countRisk;
  if (acc.knownCount > 0) {
    const mean = acc.knownAmount / acc.knownCount;
    amountRisk = (acc.knownAmountRisk + acc.unknownRiskSum * mean) / (acc.knownAmount + acc.unknownCount * mean);
  }
  const risk = AMOUNT_SHARE * amountRisk + (1 - AMOUNT_SHARE) * countRisk;
  const score = Math.round(100 * (1 - risk));
  return score < 0 ? 0 : score > 100 ? 100 : score;
}

/** Convenience for callers that already have per-deal risks (e.g. what-if previews). */
export function computeHealthScore(deals: ReadonlyArray<{ amount: number | null; risk: number }>): number {
  const acc = createScoreAccumulator();
  for (const d of deals) addDealRisk(acc, d.amount, d.risk);
  return finalizeHealthScore(acc);
}

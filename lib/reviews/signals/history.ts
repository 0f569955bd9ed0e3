import type { Deal, Finding, RuleId, Severity } from "../types";

// Rules on the signals only some CRMs give (history, activities, contacts): each is one small check,
// compiled once per analysis like the core rules in ../rules.ts, and a deal whose CRM does not report
// the signal (the field is undefined) is never judged by it.

export type SignalRuleConfig = { on: boolean; sev: Severity; threshold: number };

export const finding = (deal: Deal, rule: RuleId, severity: Severity, message: string): Finding => ({
  dealId: deal.id, dealName: deal.name, amount: deal.amount, stage: deal.stage, rule, severity, message,
});

const plural = (n: number, word: string) => (n === 1 ? `1 ${word}` : `${n} ${word}s`);

/** close_date_slipped: the close date moved later by at least `threshold` days in all (OpportunityHistory). */
export function closeDateSlipped(c: SignalRuleConfig, deal: Deal, out: Finding[]): void {
  const days = deal.closeDateSlipDays;
  if (!c.on || days === undefined || days === null || days < c.threshold) return;
  out.push(finding(deal, "close_date_slipped", c.sev, `Close date slipped ${plural(days, "day")} in all`));
}

/** stage_moved_backward: the deal went back to an earlier stage at least `threshold` times. */
export function stageMovedBackward(c: SignalRuleConfig, deal: Deal, out: Finding[]): void {
  const moves = deal.stageBackwardMoves;
  if (!c.on || moves === undefined || moves === null || moves < c.threshold) return;
  out.push(finding(deal, "stage_moved_backward", c.sev, `Moved back to an earlier stage ${plural(moves, "time")}`));
}

/** amount_decreased: the amount fell by at least `threshold` percent from its highest recorded value. */
export function amountDecreased(c: SignalRuleConfig, deal: Deal, out: Finding[]): void {
  const peak = deal.peakAmount;
  const now = deal.amount;
  if (!c.on || peak === undefined || peak === null || now === null || !(peak > 0) || now >= peak) return;
  const pct = Math.round(((peak - now) / peak) * 100);
  if (pct < c.threshold) return;
  out.push(finding(deal, "amount_decreased", c.sev, `Amount down ${pct}% from ${peak}`));
}

import type { Deal } from "../types";
import { RULE_CODE, type FindingTable } from "../findings";

// Rules on the signals only some CRMs give (history, activities, contacts): each is one small check,
// compiled once per analysis like the core rules in ../rules.ts, and a deal whose CRM does not report
// the signal (the field is undefined) is never judged by it.

/**
 * `sev`: a SEVERITY_CODE; `msgs`: ids of the messages (interned in the table) memoised by their small-integer input (findings run to
 * ~100k a review; see ../rules.ts). Each rule appends a row for deal `index` to a FindingTable.
 */
export type SignalRuleConfig = { on: boolean; sev: number; threshold: number; msgs: number[] };

const plural = (n: number, word: string) => (n === 1 ? `1 ${word}` : `${n} ${word}s`);
const slippedMsg = (days: number) => `Close date slipped ${plural(days, "day")} in all`;
const backwardMsg = (moves: number) => `Moved back to an earlier stage ${plural(moves, "time")}`;

/** close_date_slipped: the close date moved later by at least `threshold` days in all (OpportunityHistory). */
export function closeDateSlipped(c: SignalRuleConfig, deal: Deal, index: number, out: FindingTable): void {
  const days = deal.closeDateSlipDays;
  if (!c.on || days === undefined || days === null || days < c.threshold) return;
  const msg = Number.isInteger(days) && days < 10_000 ? (c.msgs[days] ??= out.intern(slippedMsg(days))) : out.intern(slippedMsg(days));
  out.push(index, RULE_CODE.close_date_slipped, c.sev, msg);
}

/** stage_moved_backward: the deal went back to an earlier stage at least `threshold` times. */
export function stageMovedBackward(c: SignalRuleConfig, deal: Deal, index: number, out: FindingTable): void {
  const moves = deal.stageBackwardMoves;
  if (!c.on || moves === undefined || moves === null || moves < c.threshold) return;
  const msg = Number.isInteger(moves) && moves < 1_000 ? (c.msgs[moves] ??= out.intern(backwardMsg(moves))) : out.intern(backwardMsg(moves));
  out.push(index, RULE_CODE.stage_moved_backward, c.sev, msg);
}

/** amount_decreased: the amount fell by at least `threshold` percent from its highest recorded value. */
export function amountDecreased(c: SignalRuleConfig, deal: Deal, index: number, out: FindingTable): void {
  const peak = deal.peakAmount;
  const now = deal.amount;
  if (!c.on || peak === undefined || peak === null || now === null || !(peak > 0) || now >= peak) return;
  const pct = Math.round(((peak - now) / peak) * 100);
  if (pct < c.threshold) return;
  out.push(index, RULE_CODE.amount_decreased, c.sev, out.intern(`Amount down ${pct}% from ${peak}`));
}

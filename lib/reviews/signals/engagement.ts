import type { Deal } from "../types";
import { RULE_CODE, type FindingTable } from "../findings";
import type { SignalRuleConfig } from "./history";

/** no_next_activity: nothing scheduled next (HubSpot notes_next_activity_date, Salesforce HasOpenActivity). */
export function noNextActivity(c: SignalRuleConfig, deal: Deal, index: number, out: FindingTable): void {
  if (!c.on || deal.nextActivityScheduled !== false) return;
  out.push(index, RULE_CODE.no_next_activity, c.sev, (c.msgs[0] ??= out.intern("No next activity scheduled")));
}

/** single_threaded: at most one associated contact on a deal of at least `threshold` (amount; 0 = any). */
export function singleThreaded(c: SignalRuleConfig, deal: Deal, index: number, out: FindingTable): void {
  const contacts = deal.contactCount;
  if (!c.on || contacts === undefined || contacts === null || contacts > 1) return;
  if (c.threshold > 0 && (deal.amount === null || deal.amount < c.threshold)) return;
  const msg = contacts === 0 ? (c.msgs[0] ??= out.intern("No contact associated")) : (c.msgs[1] ??= out.intern("Single-threaded: one contact"));
  out.push(index, RULE_CODE.single_threaded, c.sev, msg);
}

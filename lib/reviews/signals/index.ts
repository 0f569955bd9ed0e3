import type { Deal, RuleSettings, Severity } from "../types";
import { SEVERITY_CODE, type FindingTable } from "../findings";
import { noNextActivity, singleThreaded } from "./engagement";
import { amountDecreased, closeDateSlipped, stageMovedBackward, type SignalRuleConfig } from "./history";

// The five rules on CRM signals, compiled and run as one unit by ../rules.ts.

export type SignalRules = {
  slipped: SignalRuleConfig;
  backward: SignalRuleConfig;
  decreased: SignalRuleConfig;
  nextActivity: SignalRuleConfig;
  singleThreaded: SignalRuleConfig;
};

const cfg = (r: { enabled: boolean; severity: Severity; threshold?: number }): SignalRuleConfig => ({ on: r.enabled, sev: SEVERITY_CODE[r.severity], threshold: r.threshold ?? 0, msgs: [] });

export function compileSignalRules(s: RuleSettings): SignalRules {
  return {
    slipped: cfg(s.close_date_slipped),
    backward: cfg(s.stage_moved_backward),
    decreased: cfg(s.amount_decreased),
    nextActivity: cfg(s.no_next_activity),
    singleThreaded: cfg(s.single_threaded),
  };
}

export function evaluateSignals(r: SignalRules, deal: Deal, index: number, out: FindingTable): void {
  closeDateSlipped(r.slipped, deal, index, out);
  stageMovedBackward(r.backward, deal, index, out);
  amountDecreased(r.decreased, deal, index, out);
  noNextActivity(r.nextActivity, deal, index, out);
  singleThreaded(r.singleThreaded, deal, index, out);
}

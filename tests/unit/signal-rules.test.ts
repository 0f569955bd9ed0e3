// The rules on CRM signals (lib/reviews/signals), one at a time through analyzeDeals, with per-schedule
// thresholds; a deal whose CRM does not report the signal is never judged by it.
import { describe, expect, it } from "vitest";
import { analyzeDeals } from "@/lib/reviews/analyze";
import { DAY_MS } from "@/lib/reviews/rules";
import { DEFAULT_RULE_SETTINGS, RULE_IDS, resolveRuleSettings, type Deal, type RuleId } from "@/lib/reviews/types";

const NOW = new Date("2026-06-01T12:00:00.000Z");
const ago = (days: number) => new Date(NOW.getTime() - days * DAY_MS).toISOString();
const deal = (o: Partial<Deal> = {}): Deal => ({
  id: "d1", name: "Deal", amount: 10_000, currency: "USD", stage: "qualifiedtobuy", probability: 40, closeDate: "2026-07-01",
  createdAt: ago(60), lastActivityAt: ago(2), nextStep: "Send proposal", owner: "Maya Patel", stageEnteredAt: ago(5), closeDatePushes: 0, ...o,
});
function messages(d: Deal, rule: RuleId, cfg: Record<string, unknown> = {}) {
  const input: Record<string, unknown> = Object.fromEntries(RULE_IDS.map((id) => [id, { enabled: false }]));
  input[rule] = { enabled: true, ...cfg };
  return analyzeDeals([d], resolveRuleSettings(input), NOW).findings.map((f) => `${f.rule} ${f.severity}: ${f.message}`);
}

describe("signal rules", () => {
  it("close_date_slipped: total days the close date moved later, at or above the threshold (default 30)", () => {
    expect(messages(deal({ closeDateSlipDays: 45 }), "close_date_slipped")).toEqual(["close_date_slipped MEDIUM: Close date slipped 45 days in all"]);
    expect(messages(deal({ closeDateSlipDays: 29 }), "close_date_slipped")).toEqual([]);
    expect(messages(deal({ closeDateSlipDays: 10 }), "close_date_slipped", { threshold: 10 })).toHaveLength(1);
    expect(messages(deal(), "close_date_slipped")).toEqual([]); // not reported
  });

  it("stage_moved_backward: at least one move back by default", () => {
    expect(messages(deal({ stageBackwardMoves: 2 }), "stage_moved_backward")).toEqual(["stage_moved_backward MEDIUM: Moved back to an earlier stage 2 times"]);
    expect(messages(deal({ stageBackwardMoves: 0 }), "stage_moved_backward")).toEqual([]);
    expect(messages(deal({ stageBackwardMoves: 2 }), "stage_moved_backward", { threshold: 3 })).toEqual([]);
    expect(messages(deal({ stageBackwardMoves: null }), "stage_moved_backward")).toEqual([]);
  });

  it("amount_decreased: percent below the deal's highest amount (default 20)", () => {
    expect(messages(deal({ amount: 7_500, peakAmount: 10_000 }), "amount_decreased")).toEqual(["amount_decreased MEDIUM: Amount down 25% from 10000"]);
    expect(messages(deal({ amount: 9_000, peakAmount: 10_000 }), "amount_decreased")).toEqual([]);
    expect(messages(deal({ amount: 9_000, peakAmount: 10_000 }), "amount_decreased", { threshold: 5 })).toHaveLength(1);
    expect(messages(deal({ amount: null, peakAmount: 10_000 }), "amount_decreased")).toEqual([]); // missing_amount's job
  });

  it("no_next_activity: only when the CRM says nothing is scheduled", () => {
    expect(messages(deal({ nextActivityScheduled: false }), "no_next_activity")).toEqual(["no_next_activity LOW: No next activity scheduled"]);
    expect(messages(deal({ nextActivityScheduled: true }), "no_next_activity")).toEqual([]);
    expect(messages(deal(), "no_next_activity")).toEqual([]);
  });

  it("single_threaded: one or no contact, on deals at or above the minimum amount", () => {
    expect(messages(deal({ contactCount: 1 }), "single_threaded")).toEqual(["single_threaded MEDIUM: Single-threaded: one contact"]);
    expect(messages(deal({ contactCount: 0 }), "single_threaded")).toEqual(["single_threaded MEDIUM: No contact associated"]);
    expect(messages(deal({ contactCount: 3 }), "single_threaded")).toEqual([]);
    expect(messages(deal({ contactCount: 1, amount: 5_000 }), "single_threaded", { threshold: 50_000 })).toEqual([]);
  });

  it("no activity in N days stays the stale rule, fed by notes_last_contacted / LastActivityDate (a date-only value works)", () => {
    expect(messages(deal({ lastActivityAt: "2026-05-01" }), "stale")).toEqual(["stale MEDIUM: No activity for 31 days"]);
  });

  it("thresholds are validated per schedule; defaults apply when unset", () => {
    expect(() => resolveRuleSettings({ amount_decreased: { threshold: 0 } })).toThrow();
    expect(() => resolveRuleSettings({ close_date_slipped: { threshold: 1.5 } })).toThrow();
    expect(resolveRuleSettings({}).single_threaded).toEqual(DEFAULT_RULE_SETTINGS.single_threaded);
  });
});

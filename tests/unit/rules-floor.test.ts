// The rules engine against the bench's hand-written loop (scripts/bench/rules-floor.ts) and the same rules
// on json-rules-engine (scripts/bench/rules-jre.ts): the three count the same hits per rule, so the bench
// compares equal work, and an engine change that alters results fails here.
import { describe, expect, it } from "vitest";
import { analyzeDeals } from "@/lib/reviews/analyze";
import { DEFAULT_RULE_SETTINGS, resolveRuleSettings, type Deal } from "@/lib/reviews/types";
import { bareRuleCounts, benchDeals } from "@/scripts/bench/rules-floor";
import { jreEngine, jreRuleCounts } from "@/scripts/bench/rules-jre";

const NOW = new Date("2026-06-01T12:00:00.000Z");

/** Edge shapes the demo generator never makes: blanks, zero and negative amounts, unknown stages, date-times. */
function edgeDeals(): Deal[] {
  const base = benchDeals(12, NOW);
  const edits: Partial<Deal>[] = [
    { owner: "   ", nextStep: "\t" },
    { amount: 0, peakAmount: 10 },
    { amount: -5, probability: 55.5 },
    { stage: " Closed Won ", probability: 10 },
    { stage: "custom stage", probability: 0 },
    { closeDate: "2026-05-31T23:59:59Z", lastActivityAt: null },
    { closeDate: "2026-06-01", stageEnteredAt: null },
    { contactCount: null, peakAmount: null, closeDateSlipDays: null, stageBackwardMoves: null },
    { contactCount: 0, amount: null, peakAmount: 100 },
    { nextActivityScheduled: true, closeDatePushes: 7, closeDateSlipDays: 30 },
    { lastActivityAt: "2026-05-18T12:00:00.000Z", stageEnteredAt: "2026-05-02T12:00:00.000Z" },
    { amount: 80, peakAmount: 100 },
  ];
  return base.map((d, i) => ({ ...d, ...edits[i] }));
}

describe("rules engine vs the bench's floor and peer", () => {
  it("counts the same hits per rule as the bare loop on 5,000 seeded deals and on edge shapes", () => {
    const settings = resolveRuleSettings(DEFAULT_RULE_SETTINGS);
    const seeded = benchDeals(5_000, NOW);
    const counts = analyzeDeals(seeded, settings, NOW).countsByRule;
    expect(Object.values(counts).every((n) => n > 0)).toBe(true); // every rule really fires on the seeded set
    expect(counts).toEqual(bareRuleCounts(seeded, NOW));
    expect(analyzeDeals(edgeDeals(), settings, NOW).countsByRule).toEqual(bareRuleCounts(edgeDeals(), NOW));
  });

  it("json-rules-engine with the same rules counts the same hits", async () => {
    const deals = [...benchDeals(300, NOW), ...edgeDeals()];
    const peer = await jreRuleCounts(jreEngine(NOW), deals);
    const floor = bareRuleCounts(deals, NOW);
    for (const [rule, n] of Object.entries(floor)) expect([rule, peer[rule as keyof typeof peer] ?? 0]).toEqual([rule, n]);
  });
});

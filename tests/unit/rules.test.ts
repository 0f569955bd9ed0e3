import { describe, expect, it } from "vitest";
import { analyzeDeals } from "@/lib/reviews/analyze";
import { DAY_MS, parseIsoMs } from "@/lib/reviews/rules";
import { computeHealthScore, dealRisk, healthBand } from "@/lib/reviews/score";
import {
  DEFAULT_RULE_SETTINGS,
  RULE_IDS,
  expectedProbabilityForStage,
  resolveRuleSettings,
  type Deal,
  type RuleId,
  type RuleSettingsInput,
} from "@/lib/reviews/types";

const NOW = new Date("2026-06-01T12:00:00.000Z");
const ago = (days: number, extraMs = 0): string => new Date(NOW.getTime() - days * DAY_MS - extraMs).toISOString();

let seq = 0;
/** A deal that triggers no rule under default settings. */
function deal(overrides: Partial<Deal> = {}): Deal {
  seq++;
  return {
    id: `d${seq}`,
    name: `Deal ${seq}`,
    amount: 10_000,
    currency: "USD",
    stage: "qualifiedtobuy",
    probability: 40,
    closeDate: "2026-07-01",
    createdAt: ago(60),
    lastActivityAt: ago(2),
    nextStep: "Send proposal",
    owner: "Maya Patel",
    stageEnteredAt: ago(5),
    closeDatePushes: 0,
    ...overrides,
  };
}

/** Settings with only `rule` enabled (optionally customised), so each test sees one rule. */
function only(rule: RuleId, cfg: Record<string, unknown> = {}) {
  const input: Record<string, unknown> = {};
  for (const id of RULE_IDS) input[id] = { enabled: false };
  input[rule] = { enabled: true, ...cfg };
  return resolveRuleSettings(input);
}

function findings(d: Deal, rule: RuleId, cfg: Record<string, unknown> = {}) {
  return analyzeDeals([d], only(rule, cfg), NOW).findings;
}

describe("baseline", () => {
  it("a healthy deal triggers nothing under defaults", () => {
    const r = analyzeDeals([deal()], DEFAULT_RULE_SETTINGS, NOW);
    expect(r.findings).toEqual([]);
    expect(r.healthScore).toBe(100);
  });
});

describe("rule: stale", () => {
  it("triggers with days in the message and the default severity", () => {
    const [f] = findings(deal({ lastActivityAt: ago(23) }), "stale");
    expect(f).toMatchObject({ rule: "stale", severity: "MEDIUM", message: "No activity for 23 days" });
  });
  it("does not trigger on recent activity", () => {
    expect(findings(deal({ lastActivityAt: ago(3) }), "stale")).toEqual([]);
  });
  it("threshold boundary: exactly 14 days triggers, 1 ms less does not", () => {
    expect(findings(deal({ lastActivityAt: ago(14) }), "stale")).toHaveLength(1);
    expect(findings(deal({ lastActivityAt: ago(14, -1) }), "stale")).toEqual([]);
  });
  it("falls back to createdAt when there was never any activity", () => {
    const [f] = findings(deal({ lastActivityAt: null, createdAt: ago(20) }), "stale");
    expect(f.message).toBe("No activity recorded since creation 20 days ago");
    expect(findings(deal({ lastActivityAt: null, createdAt: ago(3) }), "stale")).toEqual([]);
  });
  it("disabled rule and custom severity/threshold", () => {
    expect(findings(deal({ lastActivityAt: ago(40) }), "stale", { enabled: false })).toEqual([]);
    const [f] = findings(deal({ lastActivityAt: ago(8) }), "stale", { severity: "CRITICAL", threshold: 7 });
    expect(f.severity).toBe("CRITICAL");
  });
});

describe("rule: past_close_date", () => {
  it("triggers for a close date before today", () => {
    const [f] = findings(deal({ closeDate: "2026-05-27" }), "past_close_date");
    expect(f).toMatchObject({ severity: "HIGH", message: "Close date 2026-05-27 passed 5 days ago" });
  });
  it("boundary: yesterday triggers, today and future do not", () => {
    expect(findings(deal({ closeDate: "2026-05-31" }), "past_close_date")[0].message).toBe(
      "Close date 2026-05-31 passed 1 day ago",
    );
    expect(findings(deal({ closeDate: "2026-05-31T23:59:59Z" }), "past_close_date")).toHaveLength(1);
    expect(findings(deal({ closeDate: "2026-06-01" }), "past_close_date")).toEqual([]);
    expect(findings(deal({ closeDate: "2026-06-01T00:00:00.000Z" }), "past_close_date")).toEqual([]);
    expect(findings(deal({ closeDate: null }), "past_close_date")).toEqual([]);
  });
  it("disabled rule and custom severity", () => {
    expect(findings(deal({ closeDate: "2026-01-01" }), "past_close_date", { enabled: false })).toEqual([]);
    expect(findings(deal({ closeDate: "2026-01-01" }), "past_close_date", { severity: "LOW" })[0].severity).toBe("LOW");
  });
});

describe("rule: no_next_step", () => {
  it("triggers on null or blank, not on text", () => {
    expect(findings(deal({ nextStep: null }), "no_next_step")[0]).toMatchObject({ severity: "LOW", message: "No next step set" });
    expect(findings(deal({ nextStep: "   " }), "no_next_step")).toHaveLength(1);
    expect(findings(deal({ nextStep: "Call CFO" }), "no_next_step")).toEqual([]);
  });
  it("disabled rule and custom severity", () => {
    expect(findings(deal({ nextStep: null }), "no_next_step", { enabled: false })).toEqual([]);
    expect(findings(deal({ nextStep: null }), "no_next_step", { severity: "HIGH" })[0].severity).toBe("HIGH");
  });
});

describe("rule: stalled_in_stage", () => {
  it("triggers after 30 days in stage", () => {
    const [f] = findings(deal({ stageEnteredAt: ago(45) }), "stalled_in_stage");
    expect(f).toMatchObject({ severity: "MEDIUM", message: 'In stage "qualifiedtobuy" for 45 days' });
  });
  it("boundary and unknown stage entry date", () => {
    expect(findings(deal({ stageEnteredAt: ago(30) }), "stalled_in_stage")).toHaveLength(1);
    expect(findings(deal({ stageEnteredAt: ago(30, -1) }), "stalled_in_stage")).toEqual([]);
    expect(findings(deal({ stageEnteredAt: null }), "stalled_in_stage")).toEqual([]);
  });
  it("disabled rule and custom threshold/severity", () => {
    expect(findings(deal({ stageEnteredAt: ago(90) }), "stalled_in_stage", { enabled: false })).toEqual([]);
    const [f] = findings(deal({ stageEnteredAt: ago(10) }), "stalled_in_stage", { threshold: 10, severity: "HIGH" });
    expect(f.severity).toBe("HIGH");
  });
});

describe("rule: no_owner", () => {
  it("triggers on null or empty owner", () => {
    expect(findings(deal({ owner: null }), "no_owner")[0]).toMatchObject({ severity: "MEDIUM", message: "No owner assigned" });
    expect(findings(deal({ owner: "" }), "no_owner")).toHaveLength(1);
    expect(findings(deal({ owner: "Jordan" }), "no_owner")).toEqual([]);
  });
  it("disabled rule and custom severity", () => {
    expect(findings(deal({ owner: null }), "no_owner", { enabled: false })).toEqual([]);
    expect(findings(deal({ owner: null }), "no_owner", { severity: "CRITICAL" })[0].severity).toBe("CRITICAL");
  });
});

describe("rule: missing_amount", () => {
  it("triggers on null or non-positive amounts", () => {
    expect(findings(deal({ amount: null }), "missing_amount")[0]).toMatchObject({ severity: "LOW", message: "No amount set" });
    expect(findings(deal({ amount: 0 }), "missing_amount")[0].message).toBe("Amount is 0");
    expect(findings(deal({ amount: 1 }), "missing_amount")).toEqual([]);
  });
  it("disabled rule and custom severity", () => {
    expect(findings(deal({ amount: null }), "missing_amount", { enabled: false })).toEqual([]);
    expect(findings(deal({ amount: null }), "missing_amount", { severity: "MEDIUM" })[0].severity).toBe("MEDIUM");
  });
});

describe("rule: close_date_pushed", () => {
  it("triggers at the default of 2 pushes, not at 1", () => {
    expect(findings(deal({ closeDatePushes: 2 }), "close_date_pushed")[0]).toMatchObject({
      severity: "MEDIUM",
      message: "Close date pushed 2 times",
    });
    expect(findings(deal({ closeDatePushes: 1 }), "close_date_pushed")).toEqual([]);
  });
  it("disabled rule and custom threshold/severity", () => {
    expect(findings(deal({ closeDatePushes: 5 }), "close_date_pushed", { enabled: false })).toEqual([]);
    expect(findings(deal({ closeDatePushes: 2 }), "close_date_pushed", { threshold: 3 })).toEqual([]);
    const [f] = findings(deal({ closeDatePushes: 1 }), "close_date_pushed", { threshold: 1, severity: "HIGH" });
    expect(f).toMatchObject({ severity: "HIGH", message: "Close date pushed 1 time" });
  });
});

describe("rule: probability_inconsistent", () => {
  it("triggers when probability is far from the stage's expectation (case-insensitive)", () => {
    const [f] = findings(deal({ stage: "QUALIFICATION", probability: 90 }), "probability_inconsistent");
    expect(f).toMatchObject({ severity: "LOW", message: 'Probability 90% is out of line with stage "QUALIFICATION" (expected ~10%)' });
  });
  it("boundary: a difference equal to the tolerance does not trigger", () => {
    expect(findings(deal({ stage: "Qualification", probability: 35 }), "probability_inconsistent")).toEqual([]);
    expect(findings(deal({ stage: "Qualification", probability: 36 }), "probability_inconsistent")).toHaveLength(1);
  });
  it("does not judge unknown stages or missing probabilities", () => {
    expect(findings(deal({ stage: "custom-stage-7", probability: 100 }), "probability_inconsistent")).toEqual([]);
    expect(findings(deal({ stage: "contractsent", probability: null }), "probability_inconsistent")).toEqual([]);
  });
  it("disabled rule and custom tolerance/severity", () => {
    const d = deal({ stage: "contractsent", probability: 50 });
    expect(findings(d, "probability_inconsistent", { enabled: false })).toEqual([]);
    expect(findings(d, "probability_inconsistent", { threshold: 40 })).toEqual([]);
    expect(findings(d, "probability_inconsistent", { severity: "MEDIUM" })[0].severity).toBe("MEDIUM");
  });
  it("knows HubSpot and Salesforce stage names", () => {
    expect(expectedProbabilityForStage("decisionmakerboughtin")).toBe(80);
    expect(expectedProbabilityForStage("Proposal/Price Quote")).toBe(75);
    expect(expectedProbabilityForStage(" negotiation/review ")).toBe(90);
    expect(expectedProbabilityForStage("constructor")).toBeNull();
  });
});

describe("settings", () => {
  it("merges partial input over defaults without mutating them", () => {
    const s = resolveRuleSettings({ stale: { threshold: 7 } });
    expect(s.stale).toEqual({ enabled: true, severity: "MEDIUM", threshold: 7 });
    expect(s.no_owner).toEqual(DEFAULT_RULE_SETTINGS.no_owner);
    s.no_owner.enabled = false;
    expect(DEFAULT_RULE_SETTINGS.no_owner.enabled).toBe(true);
    expect(resolveRuleSettings(null)).toEqual(DEFAULT_RULE_SETTINGS);
  });
  it("rejects invalid input", () => {
    const bad: unknown[] = [
      { stale: { threshold: 0 } },
      { stale: { severity: "high" } },
      { unknown_rule: {} },
      { no_owner: { threshold: 3 } },
      "nope",
    ];
    for (const input of bad) expect(() => resolveRuleSettings(input)).toThrow();
    const ok: RuleSettingsInput = { probability_inconsistent: { threshold: 12.5 } };
    expect(resolveRuleSettings(ok).probability_inconsistent.threshold).toBe(12.5);
  });
});

describe("parseIsoMs", () => {
  it("matches Date.parse for the formats CRMs emit", () => {
    for (const s of [
      "2026-06-01",
      "2026-06-01T12:00:00Z",
      "2026-06-01T12:00:00.123Z",
      "2024-02-29T23:59:59.9+02:00",
      "2026-06-01T12:00:00.000+0000",
      "1999-12-31T18:30:00-0530",
      "2026-06-01T12:00:00",
    ]) {
      expect(parseIsoMs(s)).toBe(Date.parse(s));
    }
    expect(parseIsoMs("not a date")).toBeNaN();
    expect(parseIsoMs("2026-13-01")).toBeNaN();
  });
});

describe("health score", () => {
  it("an empty pipeline scores 100 (green)", () => {
    const r = analyzeDeals([], DEFAULT_RULE_SETTINGS, NOW);
    expect(r).toMatchObject({ dealsAnalyzed: 0, issuesFound: 0, healthScore: 100, band: "green", highRiskDeals: 0 });
    expect(Object.values(r.countsByRule).every((n) => n === 0)).toBe(true);
  });
  it("a pipeline where every deal has a CRITICAL finding scores 0 (red)", () => {
    const critical = resolveRuleSettings(
      Object.fromEntries(RULE_IDS.map((id) => [id, { severity: "CRITICAL" }])) as RuleSettingsInput,
    );
    const deals = [deal({ owner: null }), deal({ nextStep: null, amount: 500_000 }), deal({ amount: null })];
    const r = analyzeDeals(deals, critical, NOW);
    expect(r.healthScore).toBe(0);
    expect(r.band).toBe("red");
    expect(r.countsBySeverity.CRITICAL).toBe(3);
  });
  it("the same issue on a large deal lowers the score more than on a small one", () => {
    const big = 1_000_000;
    const small = 1_000;
    const a = analyzeDeals([deal({ amount: big, lastActivityAt: ago(30) }), deal({ amount: small })], DEFAULT_RULE_SETTINGS, NOW);
    const b = analyzeDeals([deal({ amount: big }), deal({ amount: small, lastActivityAt: ago(30) })], DEFAULT_RULE_SETTINGS, NOW);
    expect(a.healthScore).toBeLessThan(b.healthScore);
    // R = 0.5 * amount-weighted + 0.5 * count-weighted risk (MEDIUM = 0.25).
    expect(a.healthScore).toBe(Math.round(100 * (1 - (0.5 * ((0.25 * big) / (big + small)) + 0.5 * 0.125))));
    expect(b.healthScore).toBe(Math.round(100 * (1 - (0.5 * ((0.25 * small) / (big + small)) + 0.5 * 0.125))));
  });
  it("deals without an amount are weighted by the mean known amount", () => {
    expect(computeHealthScore([{ amount: null, risk: 1 }, { amount: 100, risk: 0 }])).toBe(50);
    expect(computeHealthScore([{ amount: null, risk: 0.5 }, { amount: null, risk: 0 }])).toBe(75);
  });
  it("deal risk sums severity weights and caps at 1", () => {
    expect(dealRisk([])).toBe(0);
    expect(dealRisk(["MEDIUM", "LOW"])).toBeCloseTo(0.35);
    expect(dealRisk(["CRITICAL", "HIGH"])).toBe(1);
  });
  it("bands: red < 60 <= yellow < 80 <= green", () => {
    expect(healthBand(0)).toBe("red");
    expect(healthBand(59)).toBe("red");
    expect(healthBand(60)).toBe("yellow");
    expect(healthBand(79)).toBe("yellow");
    expect(healthBand(80)).toBe("green");
    expect(healthBand(100)).toBe("green");
  });
});

describe("high-risk deals and totals", () => {
  it("counts deals with risk >= 0.5", () => {
    const high = deal({ closeDate: "2026-05-01" }); // one HIGH
    const medium = deal({ owner: null }); // one MEDIUM: 0.25
    const twoMedium = deal({ owner: null, closeDatePushes: 3 }); // 0.5
    const threeLow = deal({ nextStep: null, amount: null, stage: "contractsent", probability: 10 }); // 0.3
    const clean = deal();
    const r = analyzeDeals([high, medium, twoMedium, threeLow, clean], DEFAULT_RULE_SETTINGS, NOW);
    expect(r.highRiskDealIds).toEqual([high.id, twoMedium.id]);
    expect(r.highRiskDeals).toBe(2);
    // Five LOW findings add up to 0.5 (robust to float error in the sum).
    const lowSettings = resolveRuleSettings({ close_date_pushed: { severity: "LOW" }, no_owner: { severity: "LOW" } });
    const lows = deal({ nextStep: null, amount: null, owner: null, closeDatePushes: 2, stage: "contractsent", probability: 10 });
    expect(analyzeDeals([lows], lowSettings, NOW).highRiskDeals).toBe(1);
  });
  it("reports consistent counts and the total amount", () => {
    const deals = [deal({ owner: null, nextStep: null }), deal({ amount: null, lastActivityAt: ago(20) }), deal({ amount: 2_500 })];
    const r = analyzeDeals(deals, DEFAULT_RULE_SETTINGS, NOW);
    expect(r.dealsAnalyzed).toBe(3);
    expect(r.issuesFound).toBe(r.findings.length);
    expect(r.issuesFound).toBe(4);
    expect(Object.values(r.countsByRule).reduce((a, b) => a + b, 0)).toBe(4);
    expect(Object.values(r.countsBySeverity).reduce((a, b) => a + b, 0)).toBe(4);
    expect(r.countsByRule).toMatchObject({ no_owner: 1, no_next_step: 1, missing_amount: 1, stale: 1 });
    expect(r.totalAmount).toBe(12_500);
    expect(r.findings[0]).toMatchObject({ dealId: deals[0].id, dealName: deals[0].name, amount: 10_000, stage: "qualifiedtobuy" });
    expect(Number.isInteger(r.healthScore)).toBe(true);
  });
});

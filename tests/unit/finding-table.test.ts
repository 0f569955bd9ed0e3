// The engine keeps findings as columns (lib/reviews/findings.ts); the objects callers read are built
// from them and are exactly what the engine made when it built objects itself.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { analyzeDeals } from "@/lib/reviews/analyze";
import { FindingTable, RULE_CODE, SEVERITY_CODE } from "@/lib/reviews/findings";
import { DEFAULT_RULE_SETTINGS, resolveRuleSettings, type Deal } from "@/lib/reviews/types";
import { benchDeals } from "@/scripts/bench/rules-floor";

const NOW = new Date("2026-06-01T12:00:00.000Z");
const sha = (v: unknown) => createHash("sha256").update(JSON.stringify(v)).digest("hex");

describe("findings as columns", () => {
  it("20,000 deals give the same findings and totals as the object-building engine (2523810)", () => {
    const r = analyzeDeals(benchDeals(20_000, NOW), resolveRuleSettings(DEFAULT_RULE_SETTINGS), NOW);
    expect(r.findings).toHaveLength(54_336);
    // Digests of JSON.stringify of that engine's findings, and of the rest of its result.
    expect(sha(r.findings)).toBe("ef219df9aac3d1e82928291f44bdeeaf55273ef8b4b3fd0a2ca4243db4973eb9");
    const { dealsAnalyzed, issuesFound, highRiskDeals, highRiskDealIds, healthScore, band, totalAmount, countsByRule, countsBySeverity } = r;
    expect(sha({ dealsAnalyzed, issuesFound, highRiskDeals, highRiskDealIds, healthScore, band, totalAmount, countsByRule, countsBySeverity }))
      .toBe("0f1f9ebed65187520e0e7cb3ff4d01c89c9eecca845564d2a275163065c7ae4f");
  });

  it("findings are built once, row by row from the table", () => {
    const deals = benchDeals(300, NOW);
    const r = analyzeDeals(deals, DEFAULT_RULE_SETTINGS, NOW);
    expect(r.findings).toBe(r.findings);
    expect(r.table.length).toBe(r.issuesFound);
    r.findings.forEach((f, i) => {
      const d = deals[r.table.deal[i]!]!;
      expect(f).toEqual({ dealId: d.id, dealName: d.name, amount: d.amount, stage: d.stage, rule: r.table.ruleAt(i), severity: r.table.severityAt(i), message: r.table.messageAt(i) });
    });
  });

  it("a table keeps every row when it grows past its capacity", () => {
    const deals = [{ id: "a", name: "A", amount: 5, stage: "s" }, { id: "b", name: "B", amount: null, stage: "t" }] as Deal[];
    const t = new FindingTable(deals, 2);
    for (let i = 0; i < 2500; i++) t.push(i % 2, RULE_CODE.no_owner, SEVERITY_CODE.HIGH, t.intern(`m${i}`));
    expect(t.length).toBe(2500);
    expect(t.at(0)).toEqual({ dealId: "a", dealName: "A", amount: 5, stage: "s", rule: "no_owner", severity: "HIGH", message: "m0" });
    expect(t.at(2499)).toEqual({ dealId: "b", dealName: "B", amount: null, stage: "t", rule: "no_owner", severity: "HIGH", message: "m2499" });
    expect(t.toArray(1000, 1003).map((f) => f.message)).toEqual(["m1000", "m1001", "m1002"]);
  });
});

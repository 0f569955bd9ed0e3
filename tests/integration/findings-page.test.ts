// GET /api/analysis/{id}/findings over HTTP: every finding exactly once, page by page, a deal's
// findings together and its high_risk from all of them; another tenant's analysis is a 404.
import { beforeAll, describe, expect, it } from "vitest";
import { systemDb } from "@/lib/db";
import { findingPageSchema } from "@/lib/runs/analysis-schemas";
import { api } from "../support/api";
import { resetDb } from "../support/db";

const A = { userId: "user_findings_a" };
const B = { userId: "user_findings_b" };
const RULES = ["missing_amount", "no_next_step", "stale"] as const;
let analysisId = "";

beforeAll(async () => {
  await resetDb();
  const conn = await systemDb().crmConnection.create({ data: { ownerId: A.userId, provider: "DEMO", name: "Demo CRM", instanceUrl: "demo://?seed=42&size=120" } });
  const s = await systemDb().scheduledReview.create({ data: { ownerId: A.userId, name: "Review", crmConnectionId: conn.id, cron: "0 6 * * 1", timezone: "UTC" } });
  const analysis = await systemDb().analysis.create({ data: { ownerId: A.userId, scheduledReviewId: s.id, dealsAnalyzed: 150, healthScore: 50, issuesFound: 450, highRiskDeals: 0 } });
  analysisId = analysis.id;
  // 150 deals with three findings each; deal d007's are all HIGH (high risk), the others LOW.
  await systemDb().finding.createMany({
    data: Array.from({ length: 150 }, (_, d) => RULES.map((rule) => ({
      analysisId, dealId: `d${String(d).padStart(3, "0")}`, dealName: `Deal ${d}`, amount: 1000 + d, stage: "qualifiedtobuy", rule,
      severity: d === 7 ? ("HIGH" as const) : ("LOW" as const), message: `${rule} on ${d}`,
    }))).flat(),
  });
});

describe("GET /api/analysis/{id}/findings", () => {
  it("pages through all 450 findings once each, by deal then rule; high_risk holds across a page break", async () => {
    const seen: { deal_id: string; rule: string; high_risk: boolean }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await api("GET", `/api/analysis/${analysisId}/findings?limit=100${cursor ? `&cursor=${cursor}` : ""}`, A);
      expect(res.status).toBe(200);
      const page = findingPageSchema.parse(res.body);
      seen.push(...page.data);
      cursor = page.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(5);
    expect(seen).toHaveLength(450);
    expect(new Set(seen.map((f) => `${f.deal_id}/${f.rule}`)).size).toBe(450);
    expect(seen.map((f) => `${f.deal_id}/${f.rule}`)).toEqual([...seen.map((f) => `${f.deal_id}/${f.rule}`)].sort());
    expect(seen.filter((f) => f.high_risk).map((f) => f.deal_id)).toEqual(["d007", "d007", "d007"]);
    // A page boundary inside a deal: limit 2 splits d000's three findings.
    const split = findingPageSchema.parse((await api("GET", `/api/analysis/${analysisId}/findings?limit=2`, A)).body);
    expect(split.data.map((f) => f.deal_id)).toEqual(["d000", "d000"]);
  });

  it("another tenant's analysis is not found; a cursor this API did not return is a 400", async () => {
    expect((await api("GET", `/api/analysis/${analysisId}/findings`, B)).status).toBe(404);
    const bad = await api("GET", `/api/analysis/${analysisId}/findings?cursor=not-a-cursor`, A);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: "invalid_cursor" } });
  });
});

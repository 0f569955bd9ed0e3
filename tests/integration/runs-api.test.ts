import { beforeAll, describe, expect, it } from "vitest";
import { systemDb } from "@/lib/db";
import type { RunStatus, Severity } from "@/lib/generated/prisma/client";
import { analysisSchema } from "@/lib/runs/analysis-schemas";
import { runListSchema, runSchema } from "@/lib/runs/schemas";
import { api } from "../support/api";
import { resetDb } from "../support/db";

// The read side of runs over HTTP: history paging and filters, one run, one analysis and its diff.
const A = { userId: "user_runs_a" };
const B = { userId: "user_runs_b" };
const T0 = Date.parse("2026-01-05T06:00:00Z");
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const STATUSES: RunStatus[] = ["COMPLETED", "FAILED", "QUEUED", "RUNNING", "SKIPPED"];

type F = { deal: string; rule: string; severity: Severity; amount?: number };

async function schedule(ownerId: string, name: string) {
  const conn = await systemDb().crmConnection.create({ data: { ownerId, provider: "DEMO", name: "Demo CRM", instanceUrl: "demo://?seed=42&size=120" } });
  return systemDb().scheduledReview.create({ data: { ownerId, name, crmConnectionId: conn.id, cron: "0 6 * * 1", timezone: "UTC" } });
}

/** An analysis with its findings, linked to a run in `status`, created at minute `minute`. */
async function analysisRun(s: { id: string; ownerId: string }, minute: number, status: RunStatus, health: number, findings: F[]) {
  const analysis = await systemDb().analysis.create({
    data: {
      ownerId: s.ownerId,
      scheduledReviewId: s.id,
      dealsAnalyzed: 10,
      healthScore: health,
      issuesFound: findings.length,
      highRiskDeals: 0,
      createdAt: at(minute),
      findings: {
        create: findings.map((f) => ({
          dealId: f.deal,
          dealName: `Deal ${f.deal}`,
          amount: f.amount ?? null,
          stage: "qualifiedtobuy",
          rule: f.rule,
          severity: f.severity,
          message: `${f.rule} on ${f.deal}`,
        })),
      },
    },
  });
  const run = await systemDb().reviewRun.create({
    data: {
      ownerId: s.ownerId,
      scheduledReviewId: s.id,
      trigger: "SCHEDULED",
      scheduledFor: at(10_000 + minute),
      status,
      analysisId: analysis.id,
      healthScore: health,
      errorMessage: status === "FAILED" ? "Delivery step crashed" : null,
      createdAt: at(minute),
    },
  });
  return { analysis, run };
}

let ids: {
  schedule: string;
  order: string[];
  failed: string[];
  prev: { analysis: string; run: string };
  current: { analysis: string; run: string };
  other: { schedule: string; run: string; analysis: string };
};

beforeAll(async () => {
  await resetDb();
  const s = await schedule(A.userId, "Weekly pipeline");
  const seeded: { id: string; createdAt: Date; status: RunStatus }[] = [];
  for (let i = 0; i < 23; i++) {
    // Pairs share a createdAt, so paging must break ties by id.
    const run = await systemDb().reviewRun.create({
      data: {
        ownerId: A.userId,
        scheduledReviewId: s.id,
        trigger: i % 3 === 0 ? "MANUAL" : "SCHEDULED",
        scheduledFor: at(i * 60),
        status: STATUSES[i % STATUSES.length],
        createdAt: at(Math.floor(i / 2)),
        errorMessage: STATUSES[i % STATUSES.length] === "FAILED" ? "CRM token expired" : null,
      },
    });
    seeded.push(run);
  }
  const prev = await analysisRun(s, 100, "COMPLETED", 70, [
    { deal: "d1", rule: "stale", severity: "MEDIUM" },
    { deal: "d1", rule: "no_next_step", severity: "LOW" },
    { deal: "d2", rule: "past_close_date", severity: "HIGH" },
  ]);
  // A later analysis whose run failed, and one of another schedule: neither is "the previous run".
  const failed = await analysisRun(s, 110, "FAILED", 10, [{ deal: "d9", rule: "stale", severity: "MEDIUM" }]);
  const s2 = await schedule(A.userId, "Other schedule");
  await analysisRun(s2, 115, "COMPLETED", 5, [{ deal: "d8", rule: "no_owner", severity: "MEDIUM" }]);
  const current = await analysisRun(s, 120, "COMPLETED", 64, [
    { deal: "d3", rule: "missing_amount", severity: "LOW", amount: 1000 },
    { deal: "d1", rule: "stale", severity: "MEDIUM", amount: 50_000 },
    { deal: "d3", rule: "no_owner", severity: "MEDIUM", amount: 1000 },
    { deal: "d4", rule: "past_close_date", severity: "HIGH", amount: 90_000 },
    { deal: "d1", rule: "close_date_pushed", severity: "MEDIUM", amount: 50_000 },
  ]);
  await systemDb().reviewRun.update({
    where: { id: current.run.id },
    data: { inngestRunId: "01JRUNHISTORYTEST", retryCount: 2, dealsAnalyzed: 10, issuesFound: 5, highRiskDeals: 2 },
  });
  await systemDb().delivery.createMany({
    data: [
      { runId: current.run.id, ownerId: A.userId, channel: "EMAIL", target: "2 recipients @example.com", status: "SENT", idempotencyKey: "k-email", attempts: 1, providerMessageId: "re_1" },
      { runId: current.run.id, ownerId: A.userId, channel: "SLACK", target: "…/XXXX", status: "FAILED", idempotencyKey: "k-slack", attempts: 3, errorCode: "http_500", errorMessage: "Slack answered 500" },
    ],
  });

  const sb = await schedule(B.userId, "B's schedule");
  const other = await analysisRun(sb, 5, "COMPLETED", 90, []);

  const all = [...seeded, prev.run, failed.run, current.run];
  all.sort((x, y) => y.createdAt.getTime() - x.createdAt.getTime() || (y.id < x.id ? -1 : y.id > x.id ? 1 : 0));
  ids = {
    schedule: s.id,
    order: all.map((r) => r.id),
    failed: all.filter((r) => r.status === "FAILED").map((r) => r.id),
    prev: { analysis: prev.analysis.id, run: prev.run.id },
    current: { analysis: current.analysis.id, run: current.run.id },
    other: { schedule: sb.id, run: other.run.id, analysis: other.analysis.id },
  };
});

describe("GET /api/scheduled-reviews/{id}/runs", () => {
  it("pages newest first with an opaque cursor: no duplicates, no gaps", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
      const res = await api("GET", `/api/scheduled-reviews/${ids.schedule}/runs?limit=7${q}`, A);
      expect(res.status).toBe(200);
      const page = runListSchema.parse(res.body);
      expect(page.data.length).toBeLessThanOrEqual(7);
      expect(new Set(page.data.map((r) => r.schedule_name))).toEqual(new Set(["Weekly pipeline"]));
      seen.push(...page.data.map((r) => r.id));
      cursor = page.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual(ids.order);
    expect(new Set(seen).size).toBe(26);
    expect(pages).toBe(4);
  });

  it("filters by ?status= and pages within the filter", async () => {
    const first = await api("GET", `/api/scheduled-reviews/${ids.schedule}/runs?status=failed&limit=3`, A);
    expect(first.status).toBe(200);
    const rest = await api("GET", `/api/scheduled-reviews/${ids.schedule}/runs?status=failed&cursor=${first.body.next_cursor}`, A);
    const got = [...first.body.data, ...rest.body.data];
    expect(got.map((r: { id: string }) => r.id)).toEqual(ids.failed);
    expect(got.every((r: { status: string; error_message: string | null }) => r.status === "failed" && r.error_message !== null)).toBe(true);
    expect(rest.body.next_cursor).toBeNull();
  });

  it("answers 400 for an invalid status, cursor, limit or unknown parameter", async () => {
    const base = `/api/scheduled-reviews/${ids.schedule}/runs`;
    const bad = await api("GET", `${base}?status=done`, A);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("validation_error");
    expect(bad.body.error.details[0].path).toBe("status");
    expect((await api("GET", `${base}?cursor=not-a-cursor`, A)).body.error.code).toBe("invalid_cursor");
    expect((await api("GET", `${base}?limit=0`, A)).status).toBe(400);
    expect((await api("GET", `${base}?limit=101`, A)).status).toBe(400);
    expect((await api("GET", `${base}?sort=asc`, A)).status).toBe(400);
  });

  it("answers 401 without a session and 404 for another tenant's or an unknown schedule", async () => {
    expect((await api("GET", `/api/scheduled-reviews/${ids.schedule}/runs`, null)).status).toBe(401);
    const other = await api("GET", `/api/scheduled-reviews/${ids.other.schedule}/runs`, A);
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe("not_found");
    expect((await api("GET", `/api/scheduled-reviews/${ids.schedule}/runs`, B)).status).toBe(404);
    expect((await api("GET", `/api/scheduled-reviews/nope/runs`, A)).status).toBe(404);
  });
});

describe("GET /api/runs/{id}", () => {
  it("returns the run with its deliveries and its Inngest dashboard link", async () => {
    const res = await api("GET", `/api/runs/${ids.current.run}`, A);
    expect(res.status).toBe(200);
    const run = runSchema.parse(res.body);
    expect(run).toMatchObject({
      id: ids.current.run,
      schedule_id: ids.schedule,
      schedule_name: "Weekly pipeline",
      status: "completed",
      analysis_id: ids.current.analysis,
      retry_count: 2,
      health_score: 64,
    });
    // The test stack runs on the local executor: runs open in its inspector.
    expect(run.dashboard_url).toMatch(/^https?:\/\/[^/]+\/dev\/executor\?run=01JRUNHISTORYTEST$/);
    expect(run.deliveries.map((d) => [d.channel, d.status, d.attempts, d.error_message])).toEqual([
      ["email", "sent", 1, null],
      ["slack", "failed", 3, "Slack answered 500"],
    ]);
  });

  it("answers 404 for another tenant's run", async () => {
    expect((await api("GET", `/api/runs/${ids.other.run}`, A)).status).toBe(404);
    expect((await api("GET", `/api/runs/${ids.current.run}`, B)).status).toBe(404);
    expect((await api("GET", `/api/runs/${ids.other.run}`, B)).status).toBe(200);
  });
});

describe("GET /api/analysis/{id}", () => {
  it("compares with the previous completed run of the same schedule: new, resolved, health delta", async () => {
    const res = await api("GET", `/api/analysis/${ids.current.analysis}`, A);
    expect(res.status).toBe(200);
    const a = analysisSchema.parse(res.body);
    expect(a.change).not.toBeNull();
    const change = a.change!;
    expect(change).toMatchObject({
      previous_analysis_id: ids.prev.analysis,
      previous_run_id: ids.prev.run,
      previous_health_score: 70,
      health_delta: -6,
      new_issues_count: 4,
      resolved_issues_count: 2,
    });
    const pairs = (l: { deal_id: string; rule: string }[]) => l.map((i) => `${i.deal_id}:${i.rule}`).sort();
    expect(pairs(change.new_issues)).toEqual(["d1:close_date_pushed", "d3:missing_amount", "d3:no_owner", "d4:past_close_date"]);
    expect(pairs(change.resolved_issues)).toEqual(["d1:no_next_step", "d2:past_close_date"]);
    expect(change.new_issues[0]).toMatchObject({ severity: "high", rule_label: "Close date in the past" });
  });

  it("lists findings high-risk deals first with counts by rule and severity", async () => {
    const a = analysisSchema.parse((await api("GET", `/api/analysis/${ids.current.analysis}`, A)).body);
    expect(a).toMatchObject({ health_score: 64, band: "yellow", run_id: ids.current.run, schedule_name: "Weekly pipeline", findings_total: 5 });
    expect(a.findings.map((f) => `${f.deal_id}:${f.rule}:${f.high_risk}`)).toEqual([
      "d4:past_close_date:true",
      "d1:close_date_pushed:true",
      "d1:stale:true",
      "d3:no_owner:false",
      "d3:missing_amount:false",
    ]);
    expect(a.counts_by_severity).toEqual({ low: 1, medium: 3, high: 1, critical: 0 });
    expect(a.counts_by_rule.reduce((n, r) => n + r.count, 0)).toBe(5);
    expect(a.counts_by_rule.find((r) => r.rule === "stale")).toEqual({ rule: "stale", label: "Stale deal", count: 1 });
  });

  it("has no change for a schedule's first completed run", async () => {
    const a = await api("GET", `/api/analysis/${ids.prev.analysis}`, A);
    expect(a.status).toBe(200);
    expect(a.body.change).toBeNull();
  });

  it("answers 404 for another tenant's analysis", async () => {
    expect((await api("GET", `/api/analysis/${ids.other.analysis}`, A)).status).toBe(404);
    expect((await api("GET", `/api/analysis/${ids.current.analysis}`, B)).status).toBe(404);
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { systemDb } from "@/lib/db";
import { api } from "../support/api";
import { resetDb } from "../support/db";
import {
  A, B, connectionIdFor, createScheduleAs, expectNothingWritten, FREE, FREE_AS_TEAM, ISO_WITH_OFFSET, ORG,
  SLACK_SECRET, SLACK_URL, validBody, wallIn,
} from "../support/schedules";

// The scheduled-reviews API over HTTP: CRUD, time fields, tenancy, plan gating, secrets.
// Bad inputs are in schedules-api-validation.test.ts.

const base = "/api/scheduled-reviews";
let connA: string;

beforeAll(async () => {
  await resetDb();
  connA = await connectionIdFor(A);
});

describe("CRM connections: GET reads, POST /demo connects", () => {
  it("a read creates nothing: a new tenant's list is empty", async () => {
    const res = await api("GET", "/api/crm-connections", B);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: [] });
    expect(await systemDb().crmConnection.count({ where: { ownerId: B.userId } })).toBe(0);
  });

  it("POST /api/crm-connections/demo creates exactly one Demo CRM connection per tenant, even in parallel", async () => {
    const [first, second] = await Promise.all([api("POST", "/api/crm-connections/demo", B), api("POST", "/api/crm-connections/demo", B)]);
    expect([first.status, second.status].sort()).toEqual([200, 201]);
    expect(first.body).toEqual({
      id: expect.any(String), name: "Demo CRM", provider: "demo", status: "active",
      instance_url: null, account_id: null, last_tested_at: null, last_test_ok: null, last_test_message: null,
    });
    expect(second.body).toEqual(first.body);
    expect((await api("GET", "/api/crm-connections", B)).body.data).toEqual([first.body]);
    expect(await systemDb().crmConnection.count({ where: { ownerId: B.userId } })).toBe(1);
    expect((await api("GET", "/api/crm-connections", A)).body.data[0].id).not.toBe(first.body.id);
  });
});

describe("create and read", () => {
  it("creates from a cron: 201 with next runs, a description and the connection", async () => {
    const before = Date.now();
    const res = await api("POST", base, A, validBody(connA));
    expect(res.status).toBe(201);
    const s = res.body;
    expect(s).toMatchObject({
      id: expect.any(String), name: "Monday pipeline", description: null, crm_connection_id: connA,
      crm_connection: { id: connA, name: "Demo CRM", provider: "demo" }, schedule: "0 6 * * 1",
      schedule_description: "At 06:00 AM, only on Monday", timezone: "America/New_York", delivery_channels: ["email", "slack"],
      email_recipients: ["ops@example.com"], is_active: true, catch_up_policy: "run_once", last_run_at: null, last_run: null,
    });
    expect(s.rules.stale).toEqual({ enabled: true, severity: "MEDIUM", threshold: 14 }); // defaults filled in
    expect(new Date(s.next_run_at).getTime()).toBeGreaterThan(before);
    expect(wallIn(s.next_run_at, "America/New_York")).toBe("Mon 06:00");
    expect(s.next_runs).toHaveLength(5);
    for (const run of s.next_runs) {
      expect(run.at).toMatch(ISO_WITH_OFFSET);
      expect(run.at).toMatch(/T06:00:00-0[45]:00$/);
      expect(wallIn(run.utc, "America/New_York")).toBe("Mon 06:00");
      expect(new Date(run.at).getTime()).toBe(new Date(run.utc).getTime());
    }
    const times = s.next_runs.map((r: { utc: string }) => Date.parse(r.utc));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(new Set(times).size).toBe(5);
    expect(await api("GET", `${base}/${s.id}`, A)).toMatchObject({ status: 200, body: { id: s.id, next_run_at: s.next_run_at } });
  });

  it.each([
    [{ every: "weekly", time: "06:00", day_of_week: 1 }, "0 6 * * 1", "America/New_York"],
    [{ every: "daily", time: "07:15" }, "15 7 * * *", "Europe/London"],
    [{ every: "12h", time: "02:30" }, "30 2,14 * * *", "Australia/Lord_Howe"],
    [{ every: "6h", time: "01:05" }, "5 1,7,13,19 * * *", "Asia/Kolkata"],
  ])("creates from frequency %j as cron %s", async (frequency, cron, timezone) => {
    const body: Record<string, unknown> = validBody(connA, { frequency, timezone, delivery_channels: ["email"] });
    delete body.schedule;
    const res = await api("POST", base, A, body);
    expect(res.status).toBe(201);
    expect(res.body.schedule).toBe(cron);
    expect(res.body.next_runs).toHaveLength(5);
  });

  it("lists the tenant's schedules with last_run from the latest run", async () => {
    const s = await createScheduleAs(A, connA, { name: "with history" });
    const old = new Date("2026-01-05T11:00:00Z");
    await systemDb().reviewRun.createMany({
      data: [
        { id: "run_sched_old", scheduledReviewId: s.id, ownerId: A.userId, trigger: "SCHEDULED", scheduledFor: old, status: "FAILED", createdAt: old },
        {
          id: "run_sched_new", scheduledReviewId: s.id, ownerId: A.userId, trigger: "MANUAL", scheduledFor: new Date("2026-01-12T11:00:00Z"),
          status: "COMPLETED", completedAt: new Date("2026-01-12T11:00:09Z"), healthScore: 81, createdAt: new Date("2026-01-12T11:00:00Z"),
        },
      ],
    });
    const list = await api("GET", base, A);
    expect(list.status).toBe(200);
    const row = list.body.data.find((x: { id: string }) => x.id === s.id);
    expect(row.last_run).toEqual({ id: "run_sched_new", status: "completed", completed_at: "2026-01-12T11:00:09.000Z", health_score: 81 });
    expect(row.next_run_at).toEqual(expect.any(String));
    expect(list.body.data.length).toBe(await systemDb().scheduledReview.count({ where: { ownerId: A.userId } }));
    expect(list.body.next_cursor).toBeNull();
  });
});

describe("PATCH", () => {
  it("recomputes next_run_at on a timezone change and clears it on deactivation", async () => {
    const s = await createScheduleAs(A, connA);
    const renamed = await api("PATCH", `${base}/${s.id}`, A, { name: "Renamed" });
    expect(renamed.body).toMatchObject({ name: "Renamed", next_run_at: s.next_run_at }); // unrelated edit: slot untouched

    const moved = await api("PATCH", `${base}/${s.id}`, A, { timezone: "Asia/Kolkata" });
    expect(moved.status).toBe(200);
    expect(moved.body.next_run_at).not.toBe(s.next_run_at);
    expect(wallIn(moved.body.next_run_at, "Asia/Kolkata")).toBe("Mon 06:00");
    expect(moved.body.next_runs[0].at).toMatch(/T06:00:00\+05:30$/);

    const off = await api("PATCH", `${base}/${s.id}`, A, { is_active: false });
    expect(off.body).toMatchObject({ is_active: false, next_run_at: null, next_runs: [] });
    expect((await systemDb().scheduledReview.findUniqueOrThrow({ where: { id: s.id } })).nextRunAt).toBeNull();

    const on = await api("PATCH", `${base}/${s.id}`, A, { is_active: true, frequency: { every: "daily", time: "09:30" } });
    expect(on.body).toMatchObject({ is_active: true, schedule: "30 9 * * *", schedule_description: "At 09:30 AM" });
    expect(wallIn(on.body.next_run_at, "Asia/Kolkata")).toMatch(/ 09:30$/);
  });

  it("changes channels, rules and the webhook; null clears it", async () => {
    const s = await createScheduleAs(A, connA);
    const res = await api("PATCH", `${base}/${s.id}`, A, {
      delivery_channels: ["email"], slack_webhook_url: null, description: "weekly", rules: { stale: { threshold: 30 } },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ delivery_channels: ["email"], slack_webhook_url: null, description: "weekly" });
    expect(res.body.rules.stale).toEqual({ enabled: true, severity: "MEDIUM", threshold: 30 });
    const row = await systemDb().scheduledReview.findUniqueOrThrow({ where: { id: s.id } });
    expect(row).toMatchObject({ slackWebhookEncrypted: null, slackWebhookMasked: null, ruleSettings: { stale: { threshold: 30 } } });
  });
});

describe("DELETE", () => {
  it("deletes the schedule with its runs, deliveries and analyses; alerts stay, detached", async () => {
    const s = await createScheduleAs(A, connA);
    const analysis = await systemDb().analysis.create({
      data: { ownerId: A.userId, scheduledReviewId: s.id, dealsAnalyzed: 3, healthScore: 70, issuesFound: 1, highRiskDeals: 0,
        findings: { create: { dealId: "d1", dealName: "Deal", rule: "stale", severity: "LOW", message: "m" } } },
    });
    const run = await systemDb().reviewRun.create({
      data: { scheduledReviewId: s.id, ownerId: A.userId, trigger: "MANUAL", scheduledFor: new Date("2026-02-02T11:00:00Z"), status: "COMPLETED", analysisId: analysis.id },
    });
    await systemDb().delivery.create({ data: { runId: run.id, ownerId: A.userId, channel: "EMAIL", target: "example.com", idempotencyKey: `del-${run.id}` } });
    const alert = await systemDb().alert.create({
      data: { ownerId: A.userId, kind: "CONSECUTIVE_FAILURES", severity: "WARNING", scheduledReviewId: s.id, dedupKey: `k-${s.id}`, title: "t", message: "m" },
    });

    expect((await api("DELETE", `${base}/${s.id}`, A)).status).toBe(204);
    expect((await api("GET", `${base}/${s.id}`, A)).status).toBe(404);
    expect((await api("DELETE", `${base}/${s.id}`, A)).status).toBe(404);
    expect(await systemDb().reviewRun.count({ where: { scheduledReviewId: s.id } })).toBe(0);
    expect(await systemDb().delivery.count({ where: { runId: run.id } })).toBe(0);
    expect(await systemDb().analysis.count({ where: { scheduledReviewId: s.id } })).toBe(0);
    expect(await systemDb().finding.count({ where: { analysisId: analysis.id } })).toBe(0);
    expect(await systemDb().alert.findUniqueOrThrow({ where: { id: alert.id } })).toMatchObject({ scheduledReviewId: null });
  });
});

describe("tenancy", () => {
  it("another tenant's id answers 404 on GET, PATCH and DELETE and its data stays as it was", async () => {
    const s = await createScheduleAs(A, connA, { name: "A's only" });
    const rowBefore = await systemDb().scheduledReview.findUniqueOrThrow({ where: { id: s.id } });
    for (const who of [B, ORG]) {
      await expectNothingWritten(A.userId, async () => {
        for (const [method, body] of [["GET"], ["PATCH", { name: "hijacked" }], ["DELETE"]] as const) {
          const res = await api(method, `${base}/${s.id}`, who, body);
          expect(res.status, `${method} as ${JSON.stringify(who)}`).toBe(404);
          expect(res.body.error.code).toBe("not_found");
        }
      });
      expect((await api("GET", base, who)).body.data.map((x: { id: string }) => x.id)).not.toContain(s.id);
    }
    expect(await systemDb().scheduledReview.findUniqueOrThrow({ where: { id: s.id } })).toEqual(rowBefore);
  });

  it("an organization is its own tenant, even for a user who also has personal schedules", async () => {
    const orgConn = await connectionIdFor(ORG);
    const orgSchedule = await createScheduleAs(ORG, orgConn, { name: "Org review" });
    expect((await api("GET", base, ORG)).body.data.map((x: { id: string }) => x.id)).toEqual([orgSchedule.id]);
    expect((await api("GET", base, A)).body.data.map((x: { id: string }) => x.id)).not.toContain(orgSchedule.id);
    expect((await systemDb().scheduledReview.findUniqueOrThrow({ where: { id: orgSchedule.id } })).ownerId).toBe("org_sched");
  });

  it("answers 401 JSON without a token on every endpoint", async () => {
    for (const [method, path] of [["GET", base], ["POST", base], ["GET", `${base}/x`], ["PATCH", `${base}/x`], ["DELETE", `${base}/x`],
      ["GET", `${base}/preview?schedule=0+6+*+*+1&timezone=UTC`], ["GET", "/api/crm-connections"], ["POST", "/api/crm-connections/demo"]]) {
      const res = await api(method!, path!, null, method === "POST" || method === "PATCH" ? {} : undefined);
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.body.error.code).toBe("unauthorized");
    }
  });
});

describe("plan gating", () => {
  it("a free plan cannot create a schedule: 402 plan_required, nothing written", async () => {
    const conn = await connectionIdFor(FREE);
    await expectNothingWritten(FREE.userId, async () => {
      const res = await api("POST", base, FREE, validBody(conn));
      expect(res.status).toBe(402);
      expect(res.body.error).toMatchObject({ code: "plan_required", message: expect.stringMatching(/team/i) });
    });
    expect(await systemDb().scheduledReview.count({ where: { ownerId: FREE.userId } })).toBe(0);
  });

  it("a free plan cannot activate a schedule but can still edit or pause one", async () => {
    const conn = await connectionIdFor(FREE);
    const s = await createScheduleAs(FREE_AS_TEAM, conn, { is_active: false });
    await expectNothingWritten(FREE.userId, async () => {
      const res = await api("PATCH", `${base}/${s.id}`, FREE, { is_active: true, name: "sneaky" });
      expect(res.status).toBe(402);
      expect(res.body.error.code).toBe("plan_required");
    });
    expect((await api("PATCH", `${base}/${s.id}`, FREE, { name: "still editable" })).body).toMatchObject({ name: "still editable", is_active: false, next_run_at: null });
    expect((await api("GET", base, FREE)).body.data).toHaveLength(1);
  });
});

describe("secrets", () => {
  it("returns the Slack webhook only masked and stores it encrypted", async () => {
    const created = await api("POST", base, A, validBody(connA, { name: "secret" }));
    const id = created.body.id;
    const responses = [created, await api("GET", `${base}/${id}`, A), await api("GET", base, A), await api("PATCH", `${base}/${id}`, A, { name: "secret 2" })];
    for (const res of responses) {
      const text = JSON.stringify(res.body);
      expect(text).not.toContain(SLACK_URL);
      expect(text).not.toContain(SLACK_SECRET);
    }
    expect(created.body.slack_webhook_url).toMatch(/^https:\/\/hooks\.slack\.com\/services\/.*••••.*9876$/);
    const row = await systemDb().scheduledReview.findUniqueOrThrow({ where: { id } });
    expect(row.slackWebhookEncrypted).toMatch(/^v1:/);
    expect(row.slackWebhookEncrypted).not.toContain(SLACK_SECRET);
    expect(row.slackWebhookMasked).toBe(created.body.slack_webhook_url);
  });
});

describe("GET /api/scheduled-reviews/preview", () => {
  it("previews a cron: description, fixed time and 5 runs with offsets", async () => {
    const res = await api("GET", `${base}/preview?schedule=${encodeURIComponent("0 6 * * 1")}&timezone=America/New_York`, A);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ schedule: "0 6 * * 1", schedule_description: "At 06:00 AM, only on Monday", timezone: "America/New_York", fixed_time: true });
    expect(res.body.next_runs).toHaveLength(5);
    for (const run of res.body.next_runs) expect(run.at).toMatch(/T06:00:00-0[45]:00$/);
  });

  it("previews a preset and honours count; an hourly cron is not fixed-time", async () => {
    const weekly = await api("GET", `${base}/preview?every=weekly&time=06:00&day_of_week=1&timezone=Europe/London&count=3`, A);
    expect(weekly.body).toMatchObject({ schedule: "0 6 * * 1", fixed_time: true });
    expect(weekly.body.next_runs).toHaveLength(3);
    const hourly = await api("GET", `${base}/preview?schedule=${encodeURIComponent("0 * * * *")}&timezone=UTC`, A);
    expect(hourly.body.fixed_time).toBe(false);
  });

  it.each([
    ["timezone missing", "schedule=0+6+*+*+1"],
    ["unknown timezone", "schedule=0+6+*+*+1&timezone=Nowhere/City"],
    ["invalid cron", "schedule=0+6+*+*+9&timezone=UTC"],
    ["both schedule and every", "schedule=0+6+*+*+1&every=daily&time=06:00&timezone=UTC"],
    ["weekly without day_of_week", "every=weekly&time=06:00&timezone=UTC"],
    ["every without time", "every=daily&timezone=UTC"],
    ["unknown parameter", "schedule=0+6+*+*+1&timezone=UTC&tz=UTC"],
    ["count over 20", "schedule=0+6+*+*+1&timezone=UTC&count=21"],
  ])("%s -> 400 validation_error", async (_label, qs) => {
    const res = await api("GET", `${base}/preview?${qs}`, A);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_error");
  });
});

describe("GET /api/openapi.json", () => {
  it("is public and documents the schedules API", async () => {
    const res = await api("GET", "/api/openapi.json", null);
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    expect(Object.keys(res.body.paths["/api/scheduled-reviews/{id}"])).toEqual(expect.arrayContaining(["get", "patch", "delete"]));
  });
});

describe("concurrent PATCHes", () => {
  it("never leave an active schedule without a next run (no lost update)", async () => {
    const created = await createScheduleAs(A, connA, { name: "Race" });
    const id = created.id as string;
    // A pause and unrelated renames race; whichever lands last, the row must stay consistent.
    const results = await Promise.all([
      api("PATCH", `${base}/${id}`, A, { name: "Race 1" }),
      api("PATCH", `${base}/${id}`, A, { is_active: false }),
      api("PATCH", `${base}/${id}`, A, { name: "Race 2" }),
      api("PATCH", `${base}/${id}`, A, { name: "Race 3" }),
    ]);
    for (const r of results) expect([200, 409]).toContain(r.status);
    const row = await systemDb().scheduledReview.findUniqueOrThrow({ where: { id } });
    expect(row.isActive).toBe(row.nextRunAt !== null);
    if (results[1].status === 200) expect(row.isActive).toBe(false); // the pause was not undone by a stale read
  });
});

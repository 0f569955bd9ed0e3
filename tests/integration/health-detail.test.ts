// GET /api/health?detail=1: npm run doctor's checks for a signed-in caller, with the caller's own
// backlog; plain GET /api/health stays the public liveness check.
import { beforeEach, describe, expect, test } from "vitest";
import { systemDb } from "@/lib/db";
import { doctorReportSchema } from "@/lib/monitoring/doctor-schemas";
import { api } from "@/tests/support/api";
import { resetDb } from "@/tests/support/db";
import { createSchedule } from "@/tests/support/in-process-inngest";

const A = { userId: "user_health_detail_a" };
const B = { userId: "user_health_detail_b" };

beforeEach(async () => {
  await resetDb();
});

async function queued(ownerId: string, minutesAgo: number) {
  const schedule = await createSchedule({ ownerId, nextRunAt: new Date(Date.now() + 3_600_000) });
  const at = new Date(Date.now() - minutesAgo * 60_000);
  await systemDb().reviewRun.create({ data: { scheduledReviewId: schedule.id, ownerId, trigger: "MANUAL", status: "QUEUED", scheduledFor: at, queuedAt: at } });
}

describe("GET /api/health", () => {
  test("plain: public liveness, no report", async () => {
    const res = await api("GET", "/api/health", null);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "ok", database: "ok" });
    expect(res.body).not.toHaveProperty("checks");
  });

  test("detail=1 needs a session; a detail value other than 1 or true is 400", async () => {
    expect((await api("GET", "/api/health?detail=1", null)).status).toBe(401);
    const bad = await api("GET", "/api/health?detail=yes", A);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: "validation_error" } });
  });

  test("detail=1: every check, the caller's own backlog, no secret in it", async () => {
    await queued(A.userId, 20); // A's run, queued too long: needs attention
    await queued(B.userId, 45);
    await queued(B.userId, 50);
    const res = await api("GET", "/api/health?detail=1", A);
    expect(res.status).toBe(200);
    const report = doctorReportSchema.parse(res.body);
    expect(report.scope).toBe("this workspace");
    expect(report.checks.map((c) => c.id)).toEqual(["tz_database", "env", "database", "migrations", "executor", "backlog", "scheduler", "coverage"]);
    expect(report.checks.find((c) => c.id === "database")!.status).toBe("ok");
    expect(report.checks.find((c) => c.id === "migrations")!.status).toBe("ok");
    expect(report.checks.find((c) => c.id === "backlog")).toMatchObject({ status: "fail", details: { queued: 1 }, summary: expect.stringMatching(/^1 queued \(this workspace\), oldest for 20 min$/) });
    expect(report.status).toBe("needs_attention");
    expect(report.attention.map((a) => a.id)).toContain("backlog");
    // The stack's Resend key (re_test_e2e) is shown by prefix and length only.
    expect(JSON.stringify(res.body)).not.toContain("test_e2e");
  });
});

// Replay over HTTP against the app stack (its local executor runs the reviews): a failed run re-run
// as itself, bulk replay of a range, tenant scoping, validation, rate limit, and a replay that does
// not send an email the run already sent.
import { beforeEach, describe, expect, test } from "vitest";
import { systemDb } from "@/lib/db";
import { api } from "@/tests/support/api";
import { resetDb } from "@/tests/support/db";
import { createRun, createSchedule } from "@/tests/support/in-process-inngest";

const EXECUTOR = `http://127.0.0.1:${process.env.E2E_EXECUTOR_PORT ?? 8288}`;
const DELIVERY_ADMIN = `http://127.0.0.1:${process.env.FAKE_DELIVERY_ADMIN_PORT ?? 8303}`;
const alice = { userId: "user_alice", orgId: "org_replay_a" };
const bob = { userId: "user_bob", orgId: "org_replay_b" };
const MIN = 60_000;

const executorIdle = () => fetch(`${EXECUTOR}/__admin/idle?timeoutMs=30000`).then((r) => r.json());
const runOf = (id: string) => systemDb().reviewRun.findUniqueOrThrow({ where: { id }, include: { deliveries: { orderBy: { createdAt: "asc" } } } });

beforeEach(async () => {
  await executorIdle();
  await resetDb();
});

/** A run that failed for good: the row as onFailure leaves it. */
async function failedRun(schedule: { id: string; ownerId: string }, minutesAgo = 10) {
  const run = await createRun(schedule, new Date(Date.now() - minutesAgo * MIN));
  return systemDb().reviewRun.update({
    where: { id: run.id },
    data: { status: "FAILED", errorCode: "crm_unavailable", errorMessage: "Demo CRM: 503", inngestRunId: `old-${run.id}`, completedAt: new Date() },
  });
}

describe("POST /api/runs/{id}/replay", () => {
  test("a failed run runs again as itself: same row and slot, trigger replay, completed", async () => {
    const schedule = await createSchedule({ ownerId: alice.orgId });
    const failed = await failedRun(schedule);
    const res = await api("POST", `/api/runs/${failed.id}/replay`, alice);
    expect(res.status).toBe(202);
    expect(res.body.run).toMatchObject({ id: failed.id, status: "queued", trigger: "replay", scheduled_for: failed.scheduledFor.toISOString(), error_code: null });

    expect(await executorIdle()).toMatchObject({ idle: true });
    const after = await runOf(failed.id);
    expect(after).toMatchObject({ status: "COMPLETED", trigger: "REPLAY", scheduledFor: failed.scheduledFor, dealsAnalyzed: 120, errorCode: null, errorMessage: null });
    expect(after.inngestRunId).not.toBe(failed.inngestRunId);
    expect(after.inngestEventId).toMatch(new RegExp(`^${failed.id}:replay:\\d+$`));
    expect(await systemDb().reviewRun.count({ where: { scheduledReviewId: schedule.id } })).toBe(1);
  });

  test("an email the run already sent is not sent again; the replay records it as skipped, already_sent", async () => {
    const schedule = await createSchedule({ ownerId: alice.orgId, deliveryChannels: ["EMAIL"], emailRecipients: ["ops@example.com"] });
    const failed = await failedRun(schedule);
    const sentAt = new Date(Date.now() - 5 * MIN);
    await systemDb().delivery.create({
      data: { runId: failed.id, ownerId: alice.orgId, channel: "EMAIL", target: "o***@example.com", status: "SENT", idempotencyKey: `${failed.id}:EMAIL:${failed.inngestRunId}`, providerMessageId: "re_earlier", sentAt, attempts: 1 },
    });
    expect((await api("POST", `/api/runs/${failed.id}/replay`, alice)).status).toBe(202);
    expect(await executorIdle()).toMatchObject({ idle: true });

    const after = await runOf(failed.id);
    expect(after.status).toBe("COMPLETED");
    expect(after.deliveries.map((d) => [d.status, d.errorCode])).toEqual([["SENT", null], ["SKIPPED", "already_sent"]]);
    expect(after.deliveries[1].errorMessage).toContain(sentAt.toISOString());
    const emails = (await (await fetch(`${DELIVERY_ADMIN}/emails`)).json()) as { idempotencyKey: string | null }[];
    expect(emails.filter((e) => e.idempotencyKey?.startsWith(failed.id))).toEqual([]);
    const page = await api("GET", `/api/runs/${failed.id}`, alice);
    expect(page.body.deliveries).toMatchObject([{ status: "sent" }, { status: "skipped", error_code: "already_sent" }]);
  });

  test("another tenant's run answers 404 and changes nothing; a run that did not fail answers 409", async () => {
    const schedule = await createSchedule({ ownerId: alice.orgId });
    const failed = await failedRun(schedule);
    const foreign = await api("POST", `/api/runs/${failed.id}/replay`, bob);
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual({ error: { code: "not_found", message: expect.any(String) } });
    expect((await api("POST", "/api/runs/nope/replay", alice)).status).toBe(404);
    expect(await runOf(failed.id)).toMatchObject({ status: "FAILED", trigger: "MANUAL", errorCode: "crm_unavailable" });

    const done = await createRun(schedule, new Date(Date.now() - 20 * MIN));
    await systemDb().reviewRun.update({ where: { id: done.id }, data: { status: "COMPLETED" } });
    const notFailed = await api("POST", `/api/runs/${done.id}/replay`, alice);
    expect(notFailed.status).toBe(409);
    expect(notFailed.body).toEqual({ error: { code: "run_not_failed", message: expect.any(String), details: { status: "completed" } } });
    expect((await api("POST", `/api/runs/${failed.id}/replay`, null)).status).toBe(401);
  });

  test("rate limited per tenant: the 11th replay within a minute answers 429 with Retry-After", async () => {
    const who = { userId: "user_rl", orgId: "org_replay_rl" };
    for (let i = 0; i < 10; i++) expect((await api("POST", "/api/runs/none/replay", who)).status).toBe(404);
    const limited = await api("POST", "/api/runs/none/replay", who);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe("rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("POST /api/scheduled-reviews/{id}/replay-failed", () => {
  const path = (id: string) => `/api/scheduled-reviews/${id}/replay-failed`;

  test("each failed run in [from, to) runs again once; others are left alone", async () => {
    const schedule = await createSchedule({ ownerId: alice.orgId });
    const inRange = [await failedRun(schedule, 30), await failedRun(schedule, 20), await failedRun(schedule, 10)];
    const older = await failedRun(schedule, 120);
    const completed = await createRun(schedule, new Date(Date.now() - 15 * MIN));
    await systemDb().reviewRun.update({ where: { id: completed.id }, data: { status: "COMPLETED" } });
    const range = { from: new Date(Date.now() - 60 * MIN).toISOString(), to: new Date().toISOString() };

    const res = await api("POST", path(schedule.id), alice, range);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ replayed: 3, remaining: 0 });
    expect(res.body.runs.map((r: { id: string }) => r.id)).toEqual(inRange.map((r) => r.id));
    // Asked again at once: they are no longer failed, so nothing runs twice.
    expect((await api("POST", path(schedule.id), alice, range)).body).toMatchObject({ replayed: 0, remaining: 0, runs: [] });

    expect(await executorIdle()).toMatchObject({ idle: true });
    for (const r of inRange) expect(await runOf(r.id)).toMatchObject({ status: "COMPLETED", trigger: "REPLAY", scheduledFor: r.scheduledFor });
    expect(await runOf(older.id)).toMatchObject({ status: "FAILED" });
    expect(await runOf(completed.id)).toMatchObject({ status: "COMPLETED", trigger: "MANUAL" });
  });

  test("bad ranges answer 400 and write nothing; another tenant's schedule answers 404", async () => {
    const schedule = await createSchedule({ ownerId: alice.orgId });
    const failed = await failedRun(schedule);
    const now = Date.now();
    const bad = [
      { from: new Date(now).toISOString(), to: new Date(now - MIN).toISOString() },
      { from: "yesterday", to: new Date(now).toISOString() },
      { from: new Date(now - 400 * 864e5).toISOString(), to: new Date(now).toISOString() },
      { from: new Date(now - MIN).toISOString() },
      { from: new Date(now - MIN).toISOString(), to: new Date(now).toISOString(), extra: 1 },
    ];
    for (const body of bad) {
      const res = await api("POST", path(schedule.id), alice, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("validation_error");
    }
    const range = { from: new Date(now - 60 * MIN).toISOString(), to: new Date(now).toISOString() };
    expect((await api("POST", path(schedule.id), bob, range)).status).toBe(404);
    expect(await runOf(failed.id)).toMatchObject({ status: "FAILED", trigger: "MANUAL" });
  });
});

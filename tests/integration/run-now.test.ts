// POST /api/scheduled-reviews/{id}/run-now over HTTP against the app stack (its executor double
// runs the review), plus runNow() in-process against an unreachable or silent Inngest.
import { createServer, type Server, type Socket } from "node:net";
import { afterAll, afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { systemDb } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { api } from "@/tests/support/api";
import { resetDb } from "@/tests/support/db";
import { createRun, createSchedule } from "@/tests/support/in-process-inngest";

const EXECUTOR = `http://127.0.0.1:${process.env.E2E_EXECUTOR_PORT ?? 8288}`;
const alice = { userId: "user_alice", orgId: "org_alice" };
const bob = { userId: "user_bob", orgId: "org_bob" };
const runNowPath = (id: string) => `/api/scheduled-reviews/${id}/run-now`;

/** Lets the stack's executor finish whatever the last test started before the tables are emptied. */
const executorIdle = () => fetch(`${EXECUTOR}/__admin/idle?timeoutMs=20000`).then((r) => r.json());

beforeEach(async () => {
  await executorIdle();
  await resetDb();
});

describe("run-now over HTTP", () => {
  test("202 with the queued manual run, which the executor then completes", async () => {
    const schedule = await createSchedule({ ownerId: alice.orgId });
    const res = await api("POST", runNowPath(schedule.id), alice);
    expect(res.status).toBe(202);
    expect(res.body.run).toMatchObject({ schedule_id: schedule.id, schedule_name: schedule.name, status: "queued", trigger: "manual", retry_count: 0 });
    expect(res.body.run.scheduled_for).toBe(res.body.run.queued_at);

    expect(await executorIdle()).toMatchObject({ idle: true });
    const run = await systemDb().reviewRun.findUniqueOrThrow({ where: { id: res.body.run.id } });
    expect(run).toMatchObject({ status: "COMPLETED", trigger: "MANUAL", ownerId: alice.orgId, dealsAnalyzed: 120 });
    expect(run.analysisId).not.toBeNull();
    expect(run.inngestRunId).toEqual(expect.any(String));
  });

  test("an inactive schedule can still be run by hand", async () => {
    const schedule = await createSchedule({ ownerId: alice.orgId, isActive: false, nextRunAt: null });
    const res = await api("POST", runNowPath(schedule.id), alice);
    expect(res.status).toBe(202);
    expect(res.body.run.status).toBe("queued");
  });

  test("409 run_in_progress with the active run's id while a run is queued or running", async () => {
    const schedule = await createSchedule({ ownerId: alice.orgId });
    for (const status of ["QUEUED", "RUNNING"] as const) {
      const active = await createRun(schedule, new Date(Date.now() - 60_000));
      await systemDb().reviewRun.update({ where: { id: active.id }, data: { status } });
      const res = await api("POST", runNowPath(schedule.id), alice);
      expect(res.status).toBe(409);
      expect(res.body).toEqual({ error: { code: "run_in_progress", message: expect.any(String), details: { run_id: active.id } } });
      await systemDb().reviewRun.delete({ where: { id: active.id } });
    }
    expect(await systemDb().reviewRun.count()).toBe(0);
  });

  test("another tenant's schedule and unknown ids answer 404 and write nothing; no token answers 401", async () => {
    const schedule = await createSchedule({ ownerId: alice.orgId });
    const cross = await api("POST", runNowPath(schedule.id), bob);
    expect(cross.status).toBe(404);
    expect(cross.body.error.code).toBe("not_found");
    expect((await api("POST", runNowPath("does-not-exist"), alice)).status).toBe(404);
    expect((await api("POST", runNowPath(schedule.id), null)).status).toBe(401);
    expect(await systemDb().reviewRun.count()).toBe(0);
  });

  test("more than 10 requests a minute from one tenant answer 429 with Retry-After", async () => {
    const tenant = { userId: "user_busy", orgId: "org_busy" };
    for (let i = 0; i < 10; i++) expect((await api("POST", runNowPath("missing"), tenant)).status).toBe(404);
    const limited = await api("POST", runNowPath("missing"), tenant);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe("rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    // Budgets are per tenant.
    expect((await api("POST", runNowPath("missing"), bob)).status).toBe(404);
  });
});

describe("runNow when Inngest cannot take the event", () => {
  const saved = { base: process.env.INNGEST_BASE_URL, timeout: process.env.INNGEST_SEND_TIMEOUT_MS, dev: process.env.INNGEST_DEV };
  const opened: Server[] = [];
  const sockets: Socket[] = [];
  afterEach(() => {
    for (const s of sockets.splice(0)) s.destroy();
    for (const s of opened.splice(0)) s.close();
  });
  afterAll(() => {
    Object.assign(process.env, { INNGEST_BASE_URL: saved.base, INNGEST_SEND_TIMEOUT_MS: saved.timeout, INNGEST_DEV: saved.dev });
    resetEnvCache();
  });

  /** A fresh module graph whose Inngest client sends to `baseUrl`. */
  async function runNowAgainst(baseUrl: string, timeoutMs: number) {
    Object.assign(process.env, { INNGEST_DEV: "1", INNGEST_BASE_URL: baseUrl, INNGEST_SEND_TIMEOUT_MS: String(timeoutMs) });
    vi.resetModules();
    (await import("@/lib/env")).resetEnvCache();
    return (await import("@/lib/runs/run-now")).runNow;
  }
  const listen = (server: Server) =>
    new Promise<number>((resolve) => {
      opened.push(server);
      server.listen(0, "127.0.0.1", () => {
        const address = server.address();
        resolve(typeof address === "object" && address ? address.port : 0);
      });
    });

  async function expectUnreachable(runNow: (ownerId: string, id: string, actorId: string) => Promise<unknown>) {
    const schedule = await createSchedule({ ownerId: alice.orgId });
    await expect(runNow(alice.orgId, schedule.id, alice.userId)).rejects.toMatchObject({ code: "executor_unreachable" }); // 503 via lib/http.ts
    const [run] = await systemDb().reviewRun.findMany({ where: { scheduledReviewId: schedule.id } });
    expect(run).toMatchObject({ status: "FAILED", errorCode: "executor_unreachable", trigger: "MANUAL" });
    expect(run.completedAt).not.toBeNull();
    // Never left queued: the schedule can be run again at once.
    await expect(runNow(alice.orgId, schedule.id, alice.userId)).rejects.toMatchObject({ code: "executor_unreachable" });
    return run;
  }

  test("nothing listening: the run ends FAILED with executor_unreachable (503)", async () => {
    const closed = createServer();
    const port = await listen(closed);
    await new Promise((r) => closed.close(r));
    const run = await expectUnreachable(await runNowAgainst(`http://127.0.0.1:${port}`, 4_000));
    // Refused outright: failed by the executor probe, without waiting out the SDK's retries.
    expect(run.errorMessage).toContain("No Inngest Dev Server is listening");
  });

  test("a server that never answers: cut off by INNGEST_SEND_TIMEOUT_MS, the run ends FAILED", async () => {
    const silent = createServer((socket) => void sockets.push(socket)); // accepts, never responds
    const port = await listen(silent);
    const run = await expectUnreachable(await runNowAgainst(`http://127.0.0.1:${port}`, 300));
    expect(run.errorMessage).toContain("did not accept the event within 300 ms");
  });
});

// Monitors over HTTP against the app stack: create (token once), token-authenticated ingest with its
// limits, idempotency on run_id, start/finish pairs, tenancy, state and metrics through the API, and the
// alert rules applied to a monitor's executions and to a missed run.
import { beforeEach, describe, expect, test } from "vitest";
import { systemDb } from "@/lib/db";
import { api, APP_URL } from "@/tests/support/api";
import { resetDb } from "@/tests/support/db";

const EXECUTOR = `http://127.0.0.1:${process.env.E2E_EXECUTOR_PORT ?? 8288}`;
const alice = { userId: "user_mon_alice", orgId: "org_monitors_a" };
const bob = { userId: "user_mon_bob", orgId: "org_monitors_b" };
const MIN = 60_000;

const executorIdle = () => fetch(`${EXECUTOR}/__admin/idle?timeoutMs=30000`).then((r) => r.json());
beforeEach(async () => {
  await executorIdle();
  await resetDb();
});

async function create(who: typeof alice, body: Record<string, unknown> = {}) {
  const res = await api("POST", "/api/monitors", who, { name: "Nightly export", period_seconds: 3600, grace_seconds: 600, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; ingest_token: string; ingest_url: string; token_masked: string; state: string };
}

async function report(id: string, token: string | null, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${APP_URL}/api/monitors/${id}/executions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { "revwatch-monitor-token": token } : {}), ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

const rows = (monitorId: string) => systemDb().executionLog.findMany({ where: { monitorId }, orderBy: { createdAt: "asc" } });

describe("create and ingest", () => {
  test("the token is shown once; a report with it is stored; a bad or missing token is 401 and stores nothing", async () => {
    const m = await create(alice);
    expect(m.ingest_token).toMatch(/^rwm_/);
    expect(m.ingest_url).toMatch(new RegExp(`^https?://[^/]+/api/monitors/${m.id}/executions$`));
    expect(m.state).toBe("new");
    const read = await api("GET", `/api/monitors/${m.id}`, alice);
    expect(JSON.stringify(read.body)).not.toContain(m.ingest_token);
    expect(read.body.token_masked).toBe(m.token_masked);

    const good = await report(m.id, m.ingest_token, { status: "success", execution_time_ms: 1234, workflow_name: "export" });
    expect(good.status).toBe(201);
    expect(good.body).toMatchObject({ duplicate: false, execution: { status: "success", duration_ms: 1234, workflow_name: "export" } });

    const other = await create(bob);
    for (const [token, id] of [[null, m.id], ["rwm_wrong", m.id], [other.ingest_token, m.id], [m.ingest_token, other.id], [m.ingest_token, "nope"]] as const) {
      const res = await report(id, token, { status: "failed", error_message: "should not be stored" });
      expect(res.status, `${token} ${id}`).toBe(401);
      expect(res.body.error.code).toBe("unauthorized");
    }
    expect(await systemDb().executionLog.count()).toBe(1);
    expect((await api("GET", `/api/monitors/${m.id}`, alice)).body.state).toBe("up");
  });

  test("oversized payloads are 413, over-long strings and bad shapes 400, and nothing is stored", async () => {
    const m = await create(alice);
    const big = await report(m.id, m.ingest_token, { status: "failed", error_message: "x".repeat(9000) });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe("payload_too_large");
    for (const body of [
      { status: "failed", error_message: "x".repeat(2001) },
      { status: "failed", failed_action_name: "y".repeat(201) },
      { status: "done" },
      { status: "started" },
      { status: "success", execution_time_ms: -1 },
      { status: "success", started_at: "2026-12-01T10:00:00Z", finished_at: "2026-12-01T09:00:00Z" },
      { status: "success", extra: 1 },
    ]) expect((await report(m.id, m.ingest_token, body)).status, JSON.stringify(body).slice(0, 80)).toBe(400);
    expect(await systemDb().executionLog.count()).toBe(0);
  });

  test("a run_id is stored once however often it is reported; a start and its finish pair into one execution", async () => {
    const m = await create(alice);
    const body = { status: "failed", run_id: "run-42", execution_time_ms: 500, failed_action_id: "a7", failed_action_name: "Upload", error_message: "503 from S3" };
    const results = await Promise.all(Array.from({ length: 5 }, () => report(m.id, m.ingest_token, body)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(results.filter((r) => r.body.duplicate)).toHaveLength(4);
    expect(await rows(m.id)).toHaveLength(1);

    const start = await report(m.id, m.ingest_token, { status: "started", run_id: "run-43", started_at: new Date(Date.now() - 90_000).toISOString() });
    expect(start).toMatchObject({ status: 201, body: { execution: { status: "running" } } });
    const finish = await report(m.id, m.ingest_token, { status: "success", run_id: "run-43" });
    expect(finish).toMatchObject({ status: 201, body: { duplicate: false, execution: { status: "success", run_id: "run-43" } } });
    expect(finish.body.execution.duration_ms).toBeGreaterThanOrEqual(90_000);
    expect((await report(m.id, m.ingest_token, { status: "failed", run_id: "run-43" })).body.duplicate).toBe(true);
    expect((await rows(m.id)).map((r) => [r.externalId, r.status])).toEqual([["run-42", "FAILURE"], ["run-43", "SUCCESS"]]);

    const metrics = (await api("GET", `/api/monitors/${m.id}`, alice)).body.metrics;
    expect(metrics).toMatchObject({ total: 2, failed: 1, succeeded: 1, failure_rate_pct: 50, last_failure: { run_id: "run-42", failed_action_name: "Upload", error_message: "503 from S3" } });
  });

  test("60 reports a minute per monitor: a burst of 100 is cut off with 429, and only the accepted ones are stored", async () => {
    const m = await create(alice);
    // The bucket refills at 1 a second while the burst runs, so a few more than 60 may pass; never all 100.
    const statuses = await Promise.all(Array.from({ length: 100 }, (_, i) => report(m.id, m.ingest_token, { status: "success", run_id: `r${i}` }).then((r) => r.status)));
    const accepted = statuses.filter((s) => s === 201).length;
    expect(statuses.every((s) => s === 201 || s === 429)).toBe(true);
    expect(accepted).toBeGreaterThanOrEqual(60);
    expect(accepted).toBeLessThan(100);
    expect(await systemDb().executionLog.count()).toBe(accepted);
  });
});

describe("tenancy and changes", () => {
  test("another workspace's monitor is 404 to read, change and delete; pausing and deleting one's own work", async () => {
    const m = await create(alice);
    for (const [method, body] of [["GET"], ["PATCH", { name: "x" }], ["DELETE"]] as const)
      expect((await api(method, `/api/monitors/${m.id}`, bob, body)).status).toBe(404);
    expect((await api("GET", "/api/monitors", bob)).body.monitors).toEqual([]);
    expect((await api("PATCH", `/api/monitors/${m.id}`, alice, { is_active: false })).body.state).toBe("paused");
    expect((await api("PATCH", `/api/monitors/${m.id}`, alice, { schedule: "0 3 * * *", period_seconds: 60 })).status).toBe(400);
    expect((await api("DELETE", `/api/monitors/${m.id}`, alice)).status).toBe(204);
    expect((await api("GET", `/api/monitors/${m.id}`, alice)).status).toBe(404);
  });
});

describe("the list, a page at a time", () => {
  type Page = { monitors: { id: string; name: string }[]; next_cursor: string | null };
  async function walk(who: typeof alice, limit: number) {
    const pages: Page[] = [];
    let cursor: string | null = null;
    do {
      const res = await api("GET", `/api/monitors?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, who);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      pages.push(res.body as Page);
      cursor = (res.body as Page).next_cursor;
    } while (cursor && pages.length < 20);
    return pages;
  }
  const newestFirst = (ownerId: string) =>
    systemDb().monitor.findMany({ where: { ownerId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { id: true } }).then((r) => r.map((m) => m.id));

  test("7 monitors by 3: every one once, newest first, next_cursor null on the last page; another workspace's never appear", async () => {
    for (let i = 0; i < 7; i++) await create(alice, { name: `Job ${i}` });
    await create(bob, { name: "Bob's job" });
    const pages = await walk(alice, 3);
    expect(pages.map((p) => p.monitors.length)).toEqual([3, 3, 1]);
    expect(pages.map((p) => p.next_cursor === null)).toEqual([false, false, true]);
    const ids = pages.flatMap((p) => p.monitors.map((m) => m.id));
    expect(ids).toEqual(await newestFirst(alice.orgId));
    expect(pages.flatMap((p) => p.monitors.map((m) => m.name))).toEqual(["Job 6", "Job 5", "Job 4", "Job 3", "Job 2", "Job 1", "Job 0"]);
    expect((await walk(bob, 3)).flatMap((p) => p.monitors.map((m) => m.name))).toEqual(["Bob's job"]);
    // Without a limit: the default page (50) holds them all.
    expect((await api("GET", "/api/monitors", alice)).body).toMatchObject({ next_cursor: null, monitors: expect.arrayContaining([expect.objectContaining({ id: ids[0] })]) });
  });

  test("250 monitors are all reachable (the list used to stop at 200), at most 200 a page", async () => {
    await systemDb().monitor.createMany({
      data: Array.from({ length: 250 }, (_, i) => ({
        ownerId: alice.orgId, name: `Bulk ${i}`, ingestTokenHash: `bulk_${i}`, ingestTokenMasked: "rwm_…", createdAt: new Date(Date.UTC(2026, 10, 1) + i * 1000),
      })),
    });
    const pages = await walk(alice, 200);
    expect(pages.map((p) => p.monitors.length)).toEqual([200, 50]);
    expect(pages.flatMap((p) => p.monitors.map((m) => m.id))).toEqual(await newestFirst(alice.orgId));
  });

  test("a bad cursor, an unknown parameter or a limit out of 1..200 is 400", async () => {
    const bad = await api("GET", "/api/monitors?cursor=not-a-cursor", alice);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("invalid_cursor");
    for (const query of ["page=2", "limit=0", "limit=201", "limit=ten", "limit=3&limit=4"]) {
      const res = await api("GET", `/api/monitors?${query}`, alice);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code, query).toBe("validation_error");
    }
  });
});

describe("alert rules on monitors", () => {
  test("3 failed executions open one alert for the monitor; a missed run opens 'monitor down' in the sweep", async () => {
    await api("PUT", "/api/alerts/settings", alice, {
      enabled: true,
      rules: {
        failures_in_window: { enabled: true, severity: "critical", count: 3, window_hours: 24 },
        consecutive_failures: { enabled: false, severity: "info", count: 2 },
        low_health_score: { enabled: false, severity: "info", floor: 50 },
        slow_run: { enabled: false, severity: "info", limit_seconds: 600 },
        connection_expired: { enabled: false, severity: "info" },
        coverage_below: { enabled: false, severity: "info" },
        scheduler_silent: { enabled: false, severity: "info", minutes: 10 },
        monitor_down: { enabled: true, severity: "warning" },
      },
      recovery_successes: 1, renotify_minutes: 60, cooldown_minutes: 30, flapping_per_day: 5, email_recipients: [],
    });
    const m = await create(alice);
    for (let i = 0; i < 3; i++) await report(m.id, m.ingest_token, { status: "failed", run_id: `f${i}` });
    await executorIdle();
    const alerts = async () => (await api("GET", "/api/alerts", alice)).body.alerts as { kind: string; status: string; subject: { type: string; id: string } }[];
    expect(await alerts()).toMatchObject([{ kind: "failures_in_window", status: "open", subject: { type: "monitor", id: m.id } }]);
    await report(m.id, m.ingest_token, { status: "success", run_id: "ok1" });
    await executorIdle();
    expect(await alerts()).toMatchObject([{ kind: "failures_in_window", status: "resolved" }]);

    // The last run is two hours old on an hourly monitor with 10 minutes' grace: missed.
    const ago = (min: number) => ({ createdAt: new Date(Date.now() - min * MIN), startedAt: new Date(Date.now() - min * MIN) });
    await systemDb().executionLog.updateMany({ where: { monitorId: m.id, status: "FAILURE" }, data: ago(125) });
    await systemDb().executionLog.updateMany({ where: { monitorId: m.id, status: "SUCCESS" }, data: ago(120) });
    expect((await api("GET", `/api/monitors/${m.id}`, alice)).body.state).toBe("down");
    await fetch(`${EXECUTOR}/__admin/cron/revwatch-alert-sweep`, { method: "POST" });
    await executorIdle();
    expect((await alerts()).find((a) => a.kind === "monitor_failures")).toMatchObject({ status: "open", subject: { type: "monitor", id: m.id } });
    await report(m.id, m.ingest_token, { status: "success", run_id: "ok2" });
    await fetch(`${EXECUTOR}/__admin/cron/revwatch-alert-sweep`, { method: "POST" });
    await executorIdle();
    expect((await alerts()).find((a) => a.kind === "monitor_failures")).toMatchObject({ status: "resolved" });
  });
});

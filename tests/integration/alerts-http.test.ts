// Alerts over HTTP against the app stack: real runs fail and recover through its local executor, the
// alert functions consume review/run.failed and review/run.completed, email goes to the fake Resend
// (read through the delivery admin) and webhooks to a fake receiver on loopback that verifies the
// HMAC signature as a real one would.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { systemDb } from "@/lib/db";
import { api } from "@/tests/support/api";
import { resetDb } from "@/tests/support/db";
import { startFakeWebhook, type FakeWebhook } from "@/tests/support/fake-webhook";
import { createSchedule } from "@/tests/support/in-process-inngest";

const EXECUTOR = `http://127.0.0.1:${process.env.E2E_EXECUTOR_PORT ?? 8288}`;
const DELIVERY_ADMIN = `http://127.0.0.1:${process.env.FAKE_DELIVERY_ADMIN_PORT ?? 8303}`;
const MIN = 60_000;
const alice = { userId: "user_alert_alice", orgId: "org_alerts_a" };
const bob = { userId: "user_alert_bob", orgId: "org_alerts_b" };

const executorIdle = () => fetch(`${EXECUTOR}/__admin/idle?timeoutMs=30000`).then((r) => r.json());
const triggerCron = (fn: string) => fetch(`${EXECUTOR}/__admin/cron/revwatch-${fn}`, { method: "POST" }).then((r) => r.json());
type Email = { body: { to: string[]; subject: string; text: string } };
const emailsTo = async (to: string): Promise<Email[]> =>
  ((await (await fetch(`${DELIVERY_ADMIN}/emails`)).json()) as Email[]).filter((e) => e.body.to.includes(to));

let hook: FakeWebhook;
beforeAll(async () => {
  hook = await startFakeWebhook();
});
afterAll(() => hook.close());
beforeEach(async () => {
  await executorIdle();
  await resetDb();
  hook.reset();
});

/** The default settings: every rule and noise control as a new workspace has them (rules left out take their defaults). */
function settingsBody(over: Record<string, unknown> = {}) {
  return { enabled: true, rules: {}, recovery_successes: 2, renotify_minutes: 240, cooldown_minutes: 60, flapping_per_day: 5, email_recipients: [], ...over };
}

/** Moves an alert and its messages `minutes` into the past: time passing, rather than waited for. */
async function elapse(alertId: string, minutes: number) {
  const back = (d: Date | null) => (d ? new Date(d.getTime() - minutes * MIN) : d);
  const a = await systemDb().alert.findUniqueOrThrow({ where: { id: alertId }, include: { notifications: true } });
  await systemDb().alert.update({ where: { id: alertId }, data: { openedAt: back(a.openedAt)!, lastNotifiedAt: back(a.lastNotifiedAt) } });
  for (const n of a.notifications) await systemDb().alertNotification.update({ where: { id: n.id }, data: { createdAt: back(n.createdAt)! } });
}

/** Saves settings with one webhook on the fake receiver, which learns the secret shown once. */
async function configure(who: typeof alice, path: string, over: Record<string, unknown> = {}) {
  const res = await api("PUT", "/api/alerts/settings", who, settingsBody({ webhooks: [{ url: `${hook.url}${path}` }], ...over }));
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.webhook_secret).toMatch(/^whsec_/);
  hook.setSecret(path, res.body.webhook_secret);
  return res.body;
}

async function runNow(who: typeof alice, scheduleId: string) {
  const res = await api("POST", `/api/scheduled-reviews/${scheduleId}/run-now`, who);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  expect(await executorIdle()).toMatchObject({ idle: true });
  return systemDb().reviewRun.findUniqueOrThrow({ where: { id: res.body.run.id } });
}

type AlertBody = { id: string; status: string; notifications: { kind: string; channel: string; status: string }[] };
const alertsOf = async (who: typeof alice) => (await api("GET", "/api/alerts", who)).body.alerts as AlertBody[];

describe("default rules over HTTP: one incident, one message", () => {
  test("2 failures open one alert (one email, one signed webhook); the 3rd joins it (N in W hours) and the 4th sends nothing; re-notify after the interval; 2 successes resolve with one recovery naming the failures", async () => {
    const to = "oncall-a@example.com";
    const settings = await configure(alice, "/hooks/alice", { email_recipients: [to] });
    expect(settings.webhooks).toEqual([{ id: expect.any(String), url_masked: expect.not.stringContaining("alice") }]);
    const schedule = await createSchedule({ ownerId: alice.orgId, instanceUrl: "demo://?fail=auth_expired", nextRunAt: null });

    expect(await runNow(alice, schedule.id)).toMatchObject({ status: "FAILED" });
    expect(await alertsOf(alice)).toEqual([]);
    expect(await runNow(alice, schedule.id)).toMatchObject({ status: "FAILED" }); // 2 in a row (default)

    const [opened] = await alertsOf(alice);
    expect(await alertsOf(alice)).toHaveLength(1);
    expect(opened).toMatchObject({ status: "open", kind: "consecutive_failures", severity: "critical", rules: ["consecutive_failures"], subject: { type: "schedule", schedule_id: schedule.id } });
    expect(await emailsTo(to)).toHaveLength(1);
    expect((await emailsTo(to))[0]!.body.subject).toMatch(/^\[CRITICAL\] /);
    const opens = hook.accepted("/hooks/alice");
    expect(opens).toHaveLength(1);
    expect(opens[0]).toMatchObject({ verified: true, body: { type: "alert.opened", alert: { id: opened!.id, status: "open" } } });
    expect(opens[0]!.headers["revwatch-event-id"]).toBe(`${opened!.id}:open:webhook:${settings.webhooks[0].id}`);

    expect(await runNow(alice, schedule.id)).toMatchObject({ status: "FAILED" }); // 3 in 24 h (default): joins the same alert
    expect(await alertsOf(alice)).toMatchObject([{ id: opened!.id, rules: ["consecutive_failures", "failures_in_window"], events: [{ kind: "joined", rule: "failures_in_window" }] }]);
    expect(await runNow(alice, schedule.id)).toMatchObject({ status: "FAILED" });
    expect(await alertsOf(alice)).toHaveLength(1);
    expect(await emailsTo(to)).toHaveLength(1);
    expect(hook.accepted("/hooks/alice")).toHaveLength(1);

    // The re-notify interval (240 minutes) passes: the sweep re-sends to every channel.
    await elapse(opened!.id, 241);
    await triggerCron("alert-sweep");
    expect(await executorIdle()).toMatchObject({ idle: true });
    expect((await emailsTo(to)).map((e) => e.body.subject)).toEqual([expect.stringMatching(/^\[CRITICAL\] /), expect.stringMatching(/^\[CRITICAL\] Still open: /)]);
    expect(hook.accepted("/hooks/alice").map((r) => r.body?.type)).toEqual(["alert.opened", "alert.still_open"]);

    await systemDb().crmConnection.update({ where: { id: schedule.crmConnectionId }, data: { instanceUrl: "demo://?seed=42&size=120" } });
    expect(await runNow(alice, schedule.id)).toMatchObject({ status: "COMPLETED" });
    expect((await alertsOf(alice))[0]!.status).toBe("open");
    expect(await runNow(alice, schedule.id)).toMatchObject({ status: "COMPLETED" });

    const [resolved] = await alertsOf(alice);
    expect(resolved).toMatchObject({ id: opened!.id, status: "resolved", resolution: "recovered" });
    const emails = await emailsTo(to);
    expect(emails).toHaveLength(3);
    expect(emails[2]!.body.subject).toMatch(/^\[RESOLVED\] /);
    expect(emails[2]!.body.text).toContain("4 runs failed");
    const hooks = hook.accepted("/hooks/alice");
    expect(hooks).toHaveLength(3);
    expect(hooks[2]).toMatchObject({ verified: true, body: { type: "alert.resolved", alert: { status: "resolved", summary: expect.stringContaining("4 runs failed") } } });
    expect(resolved!.notifications.map((n) => `${n.kind}/${n.channel}/${n.status}`).sort()).toEqual(
      ["open/email/sent", "open/webhook/sent", "renotify/email/sent", "renotify/webhook/sent", "resolve/email/sent", "resolve/webhook/sent"],
    );
  });
});

describe("POST /api/alerts/test", () => {
  test("reports each channel's outcome: the email and the good webhook sent (signature verified), the dead one failed", async () => {
    const to = "oncall-test@example.com";
    await configure(alice, "/hooks/test", { email_recipients: [to] });
    const saved = (await api("GET", "/api/alerts/settings", alice)).body;
    const put = await api("PUT", "/api/alerts/settings", alice, settingsBody({ email_recipients: [to], webhooks: [{ id: saved.webhooks[0].id }, { url: "http://127.0.0.1:9/closed" }] }));
    expect(put.status).toBe(200);
    expect(put.body.webhook_secret).toBeUndefined(); // shown once, when it was created

    const res = await api("POST", "/api/alerts/test", alice);
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      { channel: "email", target: expect.stringContaining("@example.com"), status: "sent", error_code: null, error_message: null },
      { channel: "webhook", target: expect.any(String), status: "sent", error_code: null, error_message: null },
      { channel: "webhook", target: expect.any(String), status: "failed", error_code: "network_error", error_message: expect.any(String) },
    ]);
    expect(await emailsTo(to)).toHaveLength(1);
    expect(hook.accepted("/hooks/test")).toMatchObject([{ verified: true, body: { type: "alert.test", alert: null } }]);
  });

  test("a rotated secret signs from then on: the receiver holding the old one refuses (401)", async () => {
    const first = await configure(alice, "/hooks/rotate");
    const rotated = await api("PUT", "/api/alerts/settings", alice, settingsBody({ rotate_webhook_secret: true }));
    expect(rotated.status).toBe(200);
    expect(rotated.body.webhook_secret).toMatch(/^whsec_/);
    expect(rotated.body.webhook_secret).not.toBe(first.webhook_secret);
    expect(rotated.body.webhooks).toEqual(first.webhooks); // webhooks omitted: kept as they were
    expect((await api("GET", "/api/alerts/settings", alice)).body.webhook_secret_masked).toBe(rotated.body.webhook_secret_masked);
    const res = await api("POST", "/api/alerts/test", alice);
    expect(res.body.results).toMatchObject([{ channel: "webhook", status: "failed", error_code: "http_4xx" }]);
    expect(hook.requests.filter((r) => r.path === "/hooks/rotate")).toMatchObject([{ verified: false, status: 401 }]);
    hook.setSecret("/hooks/rotate", rotated.body.webhook_secret);
    expect((await api("POST", "/api/alerts/test", alice)).body.results).toMatchObject([{ status: "sent" }]);
  });

  test("rate limited: 5 a minute per workspace, then 429 with Retry-After", async () => {
    for (let i = 0; i < 5; i++) expect((await api("POST", "/api/alerts/test", bob)).status).toBe(200);
    const res = await api("POST", "/api/alerts/test", bob);
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe("rate_limited");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("settings validation and tenancy", () => {
  test("webhooks must be https to a public host; a bad PUT writes nothing; secrets never come back whole", async () => {
    for (const url of ["http://example.com/hook", "https://10.0.0.5/hook", "https://169.254.169.254/latest", "https://localhost/x", "ftp://example.com"]) {
      const res = await api("PUT", "/api/alerts/settings", alice, settingsBody({ webhooks: [{ url }] }));
      expect(res.status, url).toBe(400);
      expect(res.body.error.code).toBe("validation_error");
    }
    expect((await api("PUT", "/api/alerts/settings", alice, settingsBody({ webhooks: [{ id: "nope" }] }))).status).toBe(400);
    expect((await api("PUT", "/api/alerts/settings", alice, settingsBody({ rules: { failures_in_window: { enabled: true } } }))).status).toBe(400);
    expect(await systemDb().alertSettings.count()).toBe(0);

    const saved = await api("PUT", "/api/alerts/settings", alice, settingsBody({ webhooks: [{ url: "https://hooks.example.com/revwatch/s3cr3tpath" }] }));
    expect(saved.status).toBe(200);
    const read = await api("GET", "/api/alerts/settings", alice);
    expect(JSON.stringify(read.body)).not.toContain("s3cr3tpath");
    expect(JSON.stringify(read.body)).not.toContain(saved.body.webhook_secret);
    const row = await systemDb().alertSettings.findUniqueOrThrow({ where: { ownerId: alice.orgId } });
    expect(JSON.stringify(row)).not.toContain("s3cr3tpath");
    expect(row.webhookSecretEncrypted).not.toContain(saved.body.webhook_secret);
  });

  test("another workspace's alert answers 404 to read and change, and is left as it was", async () => {
    const schedule = await createSchedule({ ownerId: alice.orgId, nextRunAt: null });
    const alert = await systemDb().alert.create({
      data: { ownerId: alice.orgId, kind: "CONSECUTIVE_FAILURES", severity: "CRITICAL", dedupKey: "k", openKey: "k", scheduledReviewId: schedule.id, title: "t", message: "m" },
    });
    expect((await api("GET", `/api/alerts/${alert.id}`, bob)).status).toBe(404);
    expect((await api("PATCH", `/api/alerts/${alert.id}`, bob, { acknowledged: true })).status).toBe(404);
    expect((await api("GET", "/api/alerts", bob)).body.alerts).toEqual([]);
    expect(await systemDb().alert.findUniqueOrThrow({ where: { id: alert.id } })).toEqual(alert);

    const ack = await api("PATCH", `/api/alerts/${alert.id}`, alice, { acknowledged: true });
    expect(ack.body).toMatchObject({ status: "open", acknowledged_by: alice.userId });
    expect((await api("PATCH", `/api/alerts/${alert.id}`, alice, { muted_until: "2020-01-01T00:00:00Z" })).status).toBe(400);
    expect((await api("PATCH", `/api/alerts/${alert.id}`, alice, {})).status).toBe(400);
    expect((await api("PATCH", `/api/alerts/${alert.id}`, alice, { status: "resolved" })).body).toMatchObject({ status: "resolved", resolution: "manual" });
  });
});

describe("GET /api/alerts paging", () => {
  test("keyset pages by cursor: open first, then newest first, none skipped or repeated, another workspace's never shown; bad paging input is 400", async () => {
    const make = (owner: string, i: number, status: "OPEN" | "RESOLVED") => systemDb().alert.create({
      data: { ownerId: owner, kind: "SLOW_RUN", severity: "WARNING", status, dedupKey: `schedule:s${i}`, openKey: status === "OPEN" ? `schedule:s${i}` : null,
        title: `t${i}`, message: "m", openedAt: new Date(Date.now() - i * MIN) },
    });
    for (let i = 0; i < 7; i++) await make(alice.orgId, i, i % 3 === 0 ? "OPEN" : "RESOLVED");
    await make(bob.orgId, 99, "OPEN");
    const titles: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await api("GET", `/api/alerts?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, alice);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      titles.push(...(res.body.alerts as { title: string }[]).map((a) => a.title));
      cursor = res.body.next_cursor;
      pages++;
    } while (cursor);
    expect(titles).toEqual(["t0", "t3", "t6", "t1", "t2", "t4", "t5"]);
    expect(pages).toBe(3);
    for (const q of ["cursor=nope", "cursor=o~bm9wZQ", "limit=0", "limit=101"]) {
      const res = await api("GET", `/api/alerts?${q}`, alice);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code, q).toMatch(/^(invalid_cursor|validation_error)$/);
    }
  });
});

describe("system rules over HTTP", () => {
  test("dead-man: the sweep opens an alert when dispatcher ticks stop for M minutes and resolves it when they resume", async () => {
    await configure(alice, "/hooks/deadman", { rules: { scheduler_silent: { enabled: true, severity: "critical", minutes: 5 } } });
    const tick = (at: Date, kind: "DISPATCH" | "ALERT_SWEEP" = "DISPATCH") => systemDb().schedulerTick.create({ data: { kind, outcome: "SUCCESS", startedAt: at, finishedAt: at, durationMs: 5 } });
    await tick(new Date(Date.now() - 12 * MIN));
    for (let m = 6; m >= 1; m--) await tick(new Date(Date.now() - m * MIN), "ALERT_SWEEP"); // the sweep has been watching
    await triggerCron("alert-sweep");
    await executorIdle();
    expect(await alertsOf(alice)).toMatchObject([{ status: "open", kind: "scheduler_silent", severity: "critical" }]);
    expect(hook.accepted("/hooks/deadman").map((r) => r.body?.type)).toEqual(["alert.opened"]);

    await elapse((await alertsOf(alice))[0]!.id, 61); // past the 60-minute cooldown: the recovery is not held
    await tick(new Date());
    await triggerCron("alert-sweep");
    await executorIdle();
    expect(await alertsOf(alice)).toMatchObject([{ status: "resolved", kind: "scheduler_silent" }]);
    expect(hook.accepted("/hooks/deadman").map((r) => r.body?.type)).toEqual(["alert.opened", "alert.resolved"]);
  });

  test("crm/connection.expired (sent to the executor as #14 will) opens one alert per connection; it resolves once the connection is active", async () => {
    await configure(alice, "/hooks/conn");
    const schedule = await createSchedule({ ownerId: alice.orgId, nextRunAt: null });
    await systemDb().crmConnection.update({ where: { id: schedule.crmConnectionId }, data: { status: "EXPIRED" } });
    const event = (id: string) => ({ id, name: "crm/connection.expired", data: { ownerId: alice.orgId, connectionId: schedule.crmConnectionId, provider: "HUBSPOT", reason: "invalid_grant" } });
    for (const id of ["exp-1", "exp-2"]) await fetch(`${EXECUTOR}/e/test`, { method: "POST", body: JSON.stringify(event(id)) });
    await executorIdle();
    expect(await alertsOf(alice)).toMatchObject([{ status: "open", kind: "connection_expired", severity: "critical", subject: { type: "connection", id: schedule.crmConnectionId } }]);
    expect(hook.accepted("/hooks/conn")).toHaveLength(1);

    await systemDb().crmConnection.update({ where: { id: schedule.crmConnectionId }, data: { status: "ACTIVE" } });
    await triggerCron("alert-sweep");
    await executorIdle();
    expect(await alertsOf(alice)).toMatchObject([{ status: "resolved" }]);
  });
});

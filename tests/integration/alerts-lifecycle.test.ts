// The alert lifecycle in process, on Postgres, with time driven through `now` (no sleeping): re-notify
// on every channel at the interval, acknowledgement, a flapping schedule against the cooldown, the
// dead-man rule, snooze, duplicate evaluations, and a notification retry that never sends twice.
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { evaluateRunOutcome } from "@/lib/alerts/evaluate-runs";
import { sweepAlerts } from "@/lib/alerts/evaluate-system";
import { deliverAlertNotification } from "@/lib/alerts/notify";
import { DEFAULT_RULES, type UpdateAlertSettings } from "@/lib/alerts/schemas";
import { updateAlertSettings } from "@/lib/alerts/settings";
import { systemDb } from "@/lib/db";
import { setupDeliveryFakes } from "@/tests/support/delivery-fixtures";
import { startFakeWebhook, type FakeWebhook } from "@/tests/support/fake-webhook";
import { createSchedule } from "@/tests/support/in-process-inngest";

const OWNER = "org_alert_lifecycle";
const MIN = 60_000;
const T0 = new Date("2026-11-30T09:00:00.000Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * MIN);
const TO = "ops@acme.com";

const fakes = setupDeliveryFakes();
let hook: FakeWebhook;
beforeAll(async () => {
  hook = await startFakeWebhook();
});
afterAll(() => hook.close());

const off = <T extends object>(r: T) => ({ ...r, enabled: false });
async function configure(over: Partial<UpdateAlertSettings> = {}) {
  hook.reset();
  const saved = await updateAlertSettings(OWNER, {
    enabled: true,
    rules: { ...DEFAULT_RULES, failures_in_window: off(DEFAULT_RULES.failures_in_window), consecutive_failures: { enabled: true, severity: "critical", count: 1 },
      connection_expired: off(DEFAULT_RULES.connection_expired), coverage_below: off(DEFAULT_RULES.coverage_below), scheduler_silent: off(DEFAULT_RULES.scheduler_silent) },
    recovery_successes: 1,
    renotify_minutes: 60,
    cooldown_minutes: 30,
    flapping_per_day: 5,
    email_recipients: [TO],
    webhooks: [{ url: `${hook.url}/hook` }],
    ...over,
  }, "user_alerts_admin");
  hook.setSecret("/hook", saved.webhook_secret!);
}

/** A finished run at `minute`, then the evaluation its outcome event triggers, its notifications sent. */
async function outcome(schedule: { id: string; ownerId: string }, status: "FAILED" | "COMPLETED", minute: number, missedSlots = 0) {
  const run = await systemDb().reviewRun.create({
    data: { ownerId: schedule.ownerId, scheduledReviewId: schedule.id, trigger: "SCHEDULED", status, scheduledFor: at(minute), queuedAt: at(minute), completedAt: at(minute), durationMs: 1000, missedSlots },
  });
  return send(await evaluateRunOutcome({ ownerId: schedule.ownerId, scheduleId: schedule.id, runId: run.id }, at(minute)));
}
const send = async (ids: string[]) => Promise.all(ids.map((id) => deliverAlertNotification(id)));
const messages = () => ({ emails: fakes.resend.emails.length, webhooks: hook.accepted("/hook").length });

describe("re-notify and acknowledge", () => {
  test("an open alert is sent again on every channel each interval until acknowledged", async () => {
    await configure();
    const schedule = await createSchedule({ ownerId: OWNER, nextRunAt: null });
    await outcome(schedule, "FAILED", 0);
    expect(messages()).toEqual({ emails: 1, webhooks: 1 });

    await send(await sweepAlerts(at(59)));
    expect(messages()).toEqual({ emails: 1, webhooks: 1 });
    await send(await sweepAlerts(at(60)));
    expect(messages()).toEqual({ emails: 2, webhooks: 2 });
    // Two sweeps at the same instant (a duplicated step): the compare-and-set lets one through.
    const dup = await Promise.all([sweepAlerts(at(121)), sweepAlerts(at(121))]);
    await send([...new Set(dup.flat())]); // both copies derive the same rows from the same lastNotifiedAt
    expect(messages()).toEqual({ emails: 3, webhooks: 3 });
    expect(hook.accepted("/hook").every((r) => r.verified === true)).toBe(true);

    await systemDb().alert.updateMany({ where: { ownerId: OWNER }, data: { acknowledgedAt: at(122), acknowledgedBy: "user_x" } });
    await send(await sweepAlerts(at(300)));
    expect(messages()).toEqual({ emails: 3, webhooks: 3 });
    await outcome(schedule, "COMPLETED", 301);
    expect(messages()).toEqual({ emails: 4, webhooks: 4 }); // the recovery still goes out
  });
});

describe("recovery message", () => {
  test("says how many runs failed and how many slots were missed while it was open", async () => {
    await configure({ recovery_successes: 2 });
    const schedule = await createSchedule({ ownerId: OWNER, nextRunAt: null });
    await outcome(schedule, "COMPLETED", 0);
    await outcome(schedule, "FAILED", 10);
    await outcome(schedule, "FAILED", 20);
    await outcome(schedule, "COMPLETED", 90, 3); // the catch-up run after a 1-hour outage: 3 slots collapsed into it
    await outcome(schedule, "COMPLETED", 100);
    expect(fakes.resend.emails.map((e) => e.body.subject)).toEqual([expect.stringMatching(/^\[CRITICAL\]/), expect.stringMatching(/^\[RESOLVED\]/)]);
    expect(fakes.resend.emails[1]!.body.text).toContain("2 runs failed and 3 slots were missed since the last successful run before it opened.");
    expect(hook.accepted("/hook")[1]!.body).toMatchObject({ alert: { summary: expect.stringContaining("2 runs failed and 3 slots were missed") } });
  });
});

describe("flapping against the cooldown", () => {
  test("20 flips in 20 minutes send one open and one recovery per channel; the alert is marked flapping", async () => {
    await configure({ cooldown_minutes: 30, flapping_per_day: 5 });
    const schedule = await createSchedule({ ownerId: OWNER, nextRunAt: null });
    for (let i = 0; i < 20; i++) await outcome(schedule, i % 2 === 0 ? "FAILED" : "COMPLETED", i);

    expect(await systemDb().alert.count({ where: { ownerId: OWNER } })).toBe(10);
    expect(await systemDb().alert.count({ where: { ownerId: OWNER, status: "OPEN" } })).toBe(0);
    expect(messages()).toEqual({ emails: 2, webhooks: 2 });
    expect(hook.accepted("/hook").map((r) => r.body?.type)).toEqual(["alert.opened", "alert.resolved"]);
    const skipped = await systemDb().alertNotification.groupBy({ by: ["status", "errorCode"], where: { ownerId: OWNER }, _count: true, orderBy: { errorCode: "asc" } });
    expect(skipped).toEqual([
      { status: "SKIPPED", errorCode: "cooldown", _count: 18 },
      { status: "SKIPPED", errorCode: "not_told_open", _count: 18 },
      { status: "SENT", errorCode: null, _count: 4 },
    ]);
    expect(await systemDb().alert.count({ where: { ownerId: OWNER, flapping: true } })).toBe(5); // the 6th to 10th openings of the day

    // Past the cooldown the next opening is sent again, marked flapping.
    await outcome(schedule, "FAILED", 50);
    expect(messages()).toEqual({ emails: 3, webhooks: 3 });
    expect(fakes.resend.emails[2]!.body.subject).toContain("(flapping)");
  });
});

describe("dead-man rule", () => {
  test("opens once the dispatcher is silent for M minutes, resolves when it ticks again", async () => {
    await configure({ rules: { ...DEFAULT_RULES, failures_in_window: off(DEFAULT_RULES.failures_in_window), scheduler_silent: { enabled: true, severity: "critical", minutes: 10 } } });
    const tick = (minute: number) => systemDb().schedulerTick.create({ data: { kind: "DISPATCH", outcome: "SUCCESS", startedAt: at(minute), finishedAt: at(minute), durationMs: 10 } });
    for (let m = 0; m <= 5; m++) await tick(m);
    expect(await sweepAlerts(at(15))).toEqual([]);
    await send(await sweepAlerts(at(16)));
    await send(await sweepAlerts(at(17)));
    const open = await systemDb().alert.findMany({ where: { ownerId: OWNER } });
    expect(open).toMatchObject([{ kind: "SCHEDULER_SILENT", status: "OPEN", severity: "CRITICAL" }]);
    expect(messages()).toEqual({ emails: 1, webhooks: 1 });

    await tick(30);
    await send(await sweepAlerts(at(30)));
    expect(await systemDb().alert.findMany({ where: { ownerId: OWNER } })).toMatchObject([{ status: "RESOLVED", resolvedAt: at(30) }]);
    expect(hook.accepted("/hook").map((r) => r.body?.type)).toEqual(["alert.opened", "alert.resolved"]);
  });
});

describe("idempotency and noise controls", () => {
  test("duplicate evaluations of one outcome open one alert and queue one message per channel", async () => {
    await configure();
    const schedule = await createSchedule({ ownerId: OWNER, nextRunAt: null });
    const run = await createFailedRun(schedule);
    const ids = await Promise.all(Array.from({ length: 4 }, () => evaluateRunOutcome({ ownerId: OWNER, scheduleId: schedule.id, runId: run.id }, at(0))));
    expect(new Set(ids.flat()).size).toBe(2); // copies that lost the insert re-derive the same rows
    // Each notification delivered twice at once (a duplicated step): sent once.
    await Promise.allSettled([...ids.flat(), ...ids.flat()].map((id) => deliverAlertNotification(id)));
    await send(ids.flat());
    expect(await systemDb().alert.count()).toBe(1);
    expect(messages()).toEqual({ emails: 1, webhooks: 1 });
  });

  test("a failed webhook is retried without resending the email; it is recorded failed after its attempts", async () => {
    await configure();
    const schedule = await createSchedule({ ownerId: OWNER, nextRunAt: null });
    hook.failNext(5, 503);
    const run = await createFailedRun(schedule);
    const ids = await evaluateRunOutcome({ ownerId: OWNER, scheduleId: schedule.id, runId: run.id }, at(0));
    const results = [];
    for (let attempt = 0; attempt < 4; attempt++) results.push(...(await Promise.allSettled(ids.map((id) => deliverAlertNotification(id)))));
    expect(fakes.resend.emails).toHaveLength(1);
    const rows = await systemDb().alertNotification.findMany({ where: { ownerId: OWNER }, orderBy: { channel: "asc" } });
    expect(rows.map((r) => [r.channel, r.status, r.attempts, r.errorCode])).toEqual([["EMAIL", "SENT", 1, null], ["WEBHOOK", "FAILED", 3, "http_5xx"]]);
  });

  test("while snoozed, alerts open but every message is recorded as skipped", async () => {
    await configure({ snoozed_until: at(120).toISOString() });
    const schedule = await createSchedule({ ownerId: OWNER, nextRunAt: null });
    await outcome(schedule, "FAILED", 0);
    expect(messages()).toEqual({ emails: 0, webhooks: 0 });
    expect(await systemDb().alertNotification.findMany({ where: { ownerId: OWNER } })).toMatchObject([
      { status: "SKIPPED", errorCode: "snoozed" }, { status: "SKIPPED", errorCode: "snoozed" },
    ]);
    await send(await sweepAlerts(at(130))); // snooze over: the re-notification goes out
    expect(messages()).toEqual({ emails: 1, webhooks: 1 });
  });
});

describe("a step that dies after its state change", () => {
  test("dies before queueing: the retry re-derives the open message and it goes out exactly once", async () => {
    await configure();
    const schedule = await createSchedule({ ownerId: OWNER, nextRunAt: null });
    const run = await createFailedRun(schedule);
    const event = { ownerId: OWNER, scheduleId: schedule.id, runId: run.id };
    const crash = vi.spyOn(systemDb().alertNotification, "createMany").mockRejectedValueOnce(new Error("worker died"));
    await expect(evaluateRunOutcome(event, at(0))).rejects.toThrow("worker died");
    crash.mockRestore();
    expect(await systemDb().alert.count({ where: { ownerId: OWNER, status: "OPEN" } })).toBe(1);
    await send(await evaluateRunOutcome(event, at(1))); // Inngest's retry of the step
    expect(messages()).toEqual({ emails: 1, webhooks: 1 });
    await send(await evaluateRunOutcome(event, at(2))); // and another duplicate
    await send(await sweepAlerts(at(10)));
    expect(messages()).toEqual({ emails: 1, webhooks: 1 });
  });

  test("dies after queueing, before sending: the sweep delivers the stranded messages once", async () => {
    await configure();
    const schedule = await createSchedule({ ownerId: OWNER, nextRunAt: null });
    const run = await createFailedRun(schedule);
    const ids = await evaluateRunOutcome({ ownerId: OWNER, scheduleId: schedule.id, runId: run.id }, at(0));
    expect(ids).toHaveLength(2); // queued, then the step's result was lost
    expect(await sweepAlerts(at(1))).toEqual([]); // still young: the step's own retry may yet send them
    await send(await sweepAlerts(at(3)));
    expect(messages()).toEqual({ emails: 1, webhooks: 1 });
    await send(await sweepAlerts(at(4)));
    expect(messages()).toEqual({ emails: 1, webhooks: 1 });
  });

  test("a re-notification whose step died after the compare-and-set is sent by the sweep", async () => {
    await configure();
    const schedule = await createSchedule({ ownerId: OWNER, nextRunAt: null });
    await outcome(schedule, "FAILED", 0);
    expect(messages()).toEqual({ emails: 1, webhooks: 1 });
    await sweepAlerts(at(60)); // the renotify was queued and lastNotifiedAt advanced; the step died
    expect(messages()).toEqual({ emails: 1, webhooks: 1 });
    await send(await sweepAlerts(at(61))); // the retry: not due any more, nothing new
    await send(await sweepAlerts(at(63)));
    expect(messages()).toEqual({ emails: 2, webhooks: 2 });
  });
});

function createFailedRun(schedule: { id: string; ownerId: string }) {
  return systemDb().reviewRun.create({
    data: { ownerId: schedule.ownerId, scheduledReviewId: schedule.id, trigger: "SCHEDULED", status: "FAILED", scheduledFor: at(0), queuedAt: at(0), completedAt: at(0) },
  });
}

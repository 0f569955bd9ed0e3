// The alert lifecycle in process, on Postgres, with time driven through `now` (no sleeping): re-notify
// on every channel at the interval, acknowledgement, the recovery message, the dead-man rule (its
// recovery held by the cooldown), snooze, duplicate evaluations, and a notification retry that never sends twice.
import { describe, expect, test, vi } from "vitest";
import { evaluateRunOutcome } from "@/lib/alerts/evaluate-runs";
import { sweepAlerts } from "@/lib/alerts/evaluate-system";
import { deliverAlertNotification } from "@/lib/alerts/notify";
import { DEFAULT_RULES } from "@/lib/alerts/schemas";
import { systemDb } from "@/lib/db";
import { alertHarness, at, off } from "@/tests/support/alerts";
import { createSchedule } from "@/tests/support/in-process-inngest";

const OWNER = "org_alert_lifecycle";
const { fakes, h, configure, send, outcome, messages } = alertHarness(OWNER);

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
    expect(h.hook.accepted("/hook").every((r) => r.verified === true)).toBe(true);

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
    await outcome(schedule, "COMPLETED", 90, { missedSlots: 3 }); // the catch-up run after a 1-hour outage: 3 slots collapsed into it
    await outcome(schedule, "COMPLETED", 100);
    expect(fakes.resend.emails.map((e) => e.body.subject)).toEqual([expect.stringMatching(/^\[CRITICAL\]/), expect.stringMatching(/^\[RESOLVED\]/)]);
    expect(fakes.resend.emails[1]!.body.text).toContain("2 runs failed and 3 slots were missed since the last successful run before it opened.");
    expect(h.hook.accepted("/hook")[1]!.body).toMatchObject({ alert: { summary: expect.stringContaining("2 runs failed and 3 slots were missed") } });
  });
});

describe("dead-man rule", () => {
  test("opens once the dispatcher is silent for M minutes (the sweep watching), resolves when it ticks again; the recovery waits for the cooldown", async () => {
    await configure({ rules: { ...DEFAULT_RULES, failures_in_window: off(DEFAULT_RULES.failures_in_window), scheduler_silent: { enabled: true, severity: "critical", minutes: 10 } } });
    const tick = (minute: number) => systemDb().schedulerTick.create({ data: { kind: "DISPATCH", outcome: "SUCCESS", startedAt: at(minute), finishedAt: at(minute), durationMs: 10 } });
    for (let m = 0; m <= 5; m++) await tick(m);
    for (let m = 0; m <= 15; m++) expect(await sweepAlerts(at(m))).toEqual([]);
    await send(await sweepAlerts(at(16)));
    await send(await sweepAlerts(at(17)));
    const open = await systemDb().alert.findMany({ where: { ownerId: OWNER } });
    expect(open).toMatchObject([{ kind: "SCHEDULER_SILENT", status: "OPEN", severity: "CRITICAL" }]);
    expect(messages()).toEqual({ emails: 1, webhooks: 1 });

    await tick(30);
    await send(await sweepAlerts(at(30)));
    expect(await systemDb().alert.findMany({ where: { ownerId: OWNER } })).toMatchObject([{ status: "RESOLVED", resolvedAt: at(30) }]);
    expect(messages()).toEqual({ emails: 1, webhooks: 1 }); // 14 minutes after the open: held to the end of its 30-minute cooldown
    await send(await sweepAlerts(at(45)));
    expect(messages()).toEqual({ emails: 1, webhooks: 1 });
    await send(await sweepAlerts(at(46)));
    expect(h.hook.accepted("/hook").map((r) => r.body?.type)).toEqual(["alert.opened", "alert.resolved"]);
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
    h.hook.failNext(5, 503);
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
    const crash = vi.spyOn(systemDb(), "$transaction").mockRejectedValueOnce(new Error("worker died"));
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

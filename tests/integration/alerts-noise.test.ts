// Alert noise controls in process, on Postgres, time driven through `now`: one incident per subject
// (rules join), the hourly cap, the cooldown hold (a silenced open is sent when the cooldown ends, a
// flapping schedule sends at most one message per cooldown), quiet hours, and the dead-man after an outage.
import { describe, expect, test } from "vitest";
import { sweepAlerts } from "@/lib/alerts/evaluate-system";
import { rescheduleHeld } from "@/lib/alerts/lifecycle";
import { deliverAlertNotification } from "@/lib/alerts/notify";
import { settingsFor } from "@/lib/alerts/settings";
import { DEFAULT_RULES } from "@/lib/alerts/schemas";
import { systemDb } from "@/lib/db";
import { alertHarness, at, off, ONE_FAILURE_RULES } from "@/tests/support/alerts";
import { createSchedule } from "@/tests/support/in-process-inngest";

const OWNER = "org_alert_noise";
const { fakes, h, configure, send, outcome, messages, webhookTypes } = alertHarness(OWNER);
const newSchedule = () => createSchedule({ ownerId: OWNER, nextRunAt: null });
/** What was sent, as (kind, test-clock minute it went out): held rows go out at sendAfter. */
const sentLog = async () =>
  (await systemDb().alertNotification.findMany({ where: { ownerId: OWNER, status: "SENT", channel: "WEBHOOK" }, orderBy: { createdAt: "asc" } }))
    .map((r) => `${r.kind}@${((r.sendAfter ?? r.createdAt).getTime() - at(0).getTime()) / 60_000}`);

describe("one incident per subject", () => {
  test("a second rule firing for the same schedule joins the open alert (timeline entry, severity raised) and notifies nobody again", async () => {
    await configure({
      cooldown_minutes: 0,
      rules: { ...ONE_FAILURE_RULES, consecutive_failures: { enabled: true, severity: "warning", count: 1 },
        failures_in_window: { enabled: true, severity: "critical", count: 2, window_hours: 24 } },
    });
    const schedule = await newSchedule();
    await outcome(schedule, "FAILED", 0);
    await outcome(schedule, "FAILED", 1);
    const alerts = await systemDb().alert.findMany({ where: { ownerId: OWNER }, include: { events: true } });
    expect(alerts).toMatchObject([{ kind: "CONSECUTIVE_FAILURES", status: "OPEN", severity: "CRITICAL", events: [{ kind: "joined", rule: "failures_in_window", severity: "CRITICAL", at: at(1) }] }]);
    expect(messages()).toEqual({ emails: 1, webhooks: 1 });
    expect(fakes.resend.emails[0]!.body.subject).toMatch(/^\[WARNING\] /); // told when it opened; the join sends nothing

    await outcome(schedule, "COMPLETED", 2); // one good run satisfies both rules: one recovery
    expect(await systemDb().alert.findMany({ where: { ownerId: OWNER } })).toMatchObject([{ status: "RESOLVED" }]);
    expect(webhookTypes()).toEqual(["alert.opened", "alert.resolved"]);
  });
});

describe("per-workspace notification cap", () => {
  test("past max_messages_per_hour (per workspace, one per channel) messages are recorded capped; the next one sent says how many were held back", async () => {
    await configure({ cooldown_minutes: 0, max_messages_per_hour: 4 }); // two channels: two events an hour
    const schedules = [await newSchedule(), await newSchedule(), await newSchedule(), await newSchedule()];
    for (const [i, s] of schedules.slice(0, 3).entries()) await outcome(s, "FAILED", i);
    expect(messages()).toEqual({ emails: 2, webhooks: 2 });
    expect(await systemDb().alertNotification.count({ where: { ownerId: OWNER, status: "SKIPPED", errorCode: "capped" } })).toBe(2);

    await outcome(schedules[3]!, "FAILED", 61); // the hour since the second has passed
    expect(messages()).toEqual({ emails: 3, webhooks: 3 });
    expect(fakes.resend.emails[2]!.body.text).toContain("2 other alert messages were held back by the hourly limit");
    expect(h.hook.accepted("/hook")[2]!.body).toMatchObject({ type: "alert.opened", held_back: 2 });
  });

  test("concurrent events are counted under the workspace's lock: the cap holds", async () => {
    await configure({ cooldown_minutes: 0, max_messages_per_hour: 2 });
    const schedules = [await newSchedule(), await newSchedule(), await newSchedule()];
    await Promise.all(schedules.map((s) => outcome(s, "FAILED", 0)));
    expect(messages()).toEqual({ emails: 1, webhooks: 1 });
    expect(await systemDb().alertNotification.count({ where: { ownerId: OWNER, status: "SKIPPED", errorCode: "capped" } })).toBe(4);
  });

  test("held messages released together when quiet hours end are capped at release time", async () => {
    // T0 is Monday 09:00 UTC = 10:00 Berlin; quiet 10:00-10:30 Berlin = minutes 0-30.
    await configure({ cooldown_minutes: 0, max_messages_per_hour: 2, quiet_hours: { days: [1], start: "10:00", end: "10:30", time_zone: "Europe/Berlin" },
      rules: { ...ONE_FAILURE_RULES, consecutive_failures: { enabled: true, severity: "warning", count: 1 } } });
    for (const m of [1, 2, 3]) await outcome(await newSchedule(), "FAILED", m);
    expect(messages()).toEqual({ emails: 0, webhooks: 0 });
    await send(await sweepAlerts(at(30)));
    const { emails, webhooks } = messages();
    expect(emails + webhooks).toBe(2);
    expect(await systemDb().alertNotification.count({ where: { ownerId: OWNER, status: "SKIPPED", errorCode: "capped" } })).toBe(4);
  });
});

describe("cooldown", () => {
  test("an open the cooldown held is sent when the cooldown ends if still open (not at the re-notify interval)", async () => {
    await configure({ cooldown_minutes: 30, renotify_minutes: 240 });
    const schedule = await newSchedule();
    await outcome(schedule, "FAILED", 0);
    await outcome(schedule, "COMPLETED", 5); // recovery held: within 30 minutes of the open
    await outcome(schedule, "FAILED", 10); // re-opened: held too
    expect(messages()).toEqual({ emails: 1, webhooks: 1 });
    await send(await sweepAlerts(at(29)));
    expect(messages()).toEqual({ emails: 1, webhooks: 1 });
    await send(await sweepAlerts(at(30)));
    expect(webhookTypes()).toEqual(["alert.opened", "alert.opened"]); // still open: the held open goes out, the stale recovery does not
    expect(await sentLog()).toEqual(["OPEN@0", "OPEN@30"]);

    // The cooldown runs from when the held open went out (30), not from when it was queued (10).
    await outcome(schedule, "COMPLETED", 45);
    await send(await sweepAlerts(at(59)));
    expect(webhookTypes()).toEqual(["alert.opened", "alert.opened"]);
    await send(await sweepAlerts(at(60)));
    expect(await sentLog()).toEqual(["OPEN@0", "OPEN@30", "RESOLVE@60"]);
  });

  test("20 flips: at most one message per channel per cooldown interval, and the state after the flips is told", async () => {
    await configure({ cooldown_minutes: 30, flapping_per_day: 5 });
    const schedule = await newSchedule();
    for (let i = 0; i < 20; i++) await outcome(schedule, i % 2 === 0 ? "FAILED" : "COMPLETED", i);
    expect(await systemDb().alert.count({ where: { ownerId: OWNER } })).toBe(10);
    expect(await systemDb().alert.count({ where: { ownerId: OWNER, flapping: true } })).toBe(5); // the 6th to 10th openings of the day
    expect(messages()).toEqual({ emails: 1, webhooks: 1 });
    for (let m = 20; m <= 40; m++) await send(await sweepAlerts(at(m)));
    expect(messages()).toEqual({ emails: 2, webhooks: 2 });
    expect(webhookTypes()).toEqual(["alert.opened", "alert.resolved"]); // it ended resolved: that is told, once
    expect(await sentLog()).toEqual(["OPEN@0", "RESOLVE@30"]);

    await outcome(schedule, "FAILED", 70); // past the cooldown: sent at once, marked flapping
    expect(messages()).toEqual({ emails: 3, webhooks: 3 });
    expect(fakes.resend.emails[2]!.body.subject).toContain("(flapping)");
  });
});

describe("quiet hours", () => {
  // T0 is Monday 2026-11-30 09:00 UTC = 10:00 in Berlin; quiet 10:30-11:00 Berlin = minutes 30-60.
  const quiet = { days: [1], start: "10:30", end: "11:00", time_zone: "Europe/Berlin" };

  test("a non-critical message in quiet hours is held and sent when they end; a critical one passes", async () => {
    await configure({ cooldown_minutes: 0, quiet_hours: quiet, rules: { ...ONE_FAILURE_RULES, consecutive_failures: { enabled: true, severity: "warning", count: 1 } } });
    const calm = await newSchedule();
    await outcome(calm, "FAILED", 29); // before the window: sent
    await outcome(calm, "COMPLETED", 30); // in the window: the recovery waits
    expect(webhookTypes()).toEqual(["alert.opened"]);
    await send(await sweepAlerts(at(59)));
    expect(webhookTypes()).toEqual(["alert.opened"]);
    await send(await sweepAlerts(at(60)));
    expect(webhookTypes()).toEqual(["alert.opened", "alert.resolved"]);

    await configure({ cooldown_minutes: 0, quiet_hours: quiet });
    await outcome(await newSchedule(), "FAILED", 45); // critical: not held
    expect(webhookTypes()).toEqual(["alert.opened"]);
  });

  test("a critical rule joining an alert whose open is held by quiet hours sends it at once, as critical", async () => {
    await configure({ cooldown_minutes: 0, quiet_hours: quiet, rules: { ...ONE_FAILURE_RULES, consecutive_failures: { enabled: true, severity: "warning", count: 1 },
      failures_in_window: { enabled: true, severity: "critical", count: 2, window_hours: 24 } } });
    const schedule = await newSchedule();
    await outcome(schedule, "FAILED", 31); // warning, in quiet hours: held
    expect(webhookTypes()).toEqual([]);
    await outcome(schedule, "FAILED", 32); // the critical rule joins: failed before, the open stayed held until minute 60
    expect(webhookTypes()).toEqual(["alert.opened"]);
    expect(fakes.resend.emails.map((e) => e.body.subject)).toEqual([expect.stringMatching(/^\[CRITICAL\] /)]);
    await outcome(schedule, "FAILED", 33); // a retry or a later failure re-derives, sends nothing new
    await send(await sweepAlerts(at(60))); // the withdrawn warning is not sent when quiet hours end
    expect(webhookTypes()).toEqual(["alert.opened"]);
    expect(fakes.resend.emails).toHaveLength(1);
  });

  test("quiet hours changed while a message waits: removed, it goes out at the next sweep; set over its due time, it waits for their end", async () => {
    // Email rows: each configure() saves the webhook anew, which withdraws webhook messages queued before it.
    const emailsSent = async () =>
      (await systemDb().alertNotification.findMany({ where: { ownerId: OWNER, status: "SENT", channel: "EMAIL" }, orderBy: { createdAt: "asc" } }))
        .map((r) => `${r.kind}@${((r.sendAfter ?? r.createdAt).getTime() - at(0).getTime()) / 60_000}`);
    const warning = { ...ONE_FAILURE_RULES, consecutive_failures: { enabled: true, severity: "warning" as const, count: 1 } };
    await configure({ cooldown_minutes: 0, quiet_hours: quiet, rules: warning });
    const first = await newSchedule();
    await outcome(first, "FAILED", 31); // held until minute 60
    await configure({ cooldown_minutes: 0, rules: warning }); // quiet hours removed (the PUT moves held messages forward)
    await rescheduleHeld(await settingsFor(OWNER), at(40)); // the same, on the test clock
    await send(await sweepAlerts(at(41)));
    expect(await emailsSent()).toEqual(["OPEN@40"]); // failed before: held until 60
    await outcome(first, "COMPLETED", 42);

    await configure({ cooldown_minutes: 30, rules: warning });
    const flaky = await newSchedule();
    await outcome(flaky, "FAILED", 70); // sent
    await outcome(flaky, "COMPLETED", 75); // recovery held by the cooldown until minute 100
    await configure({ cooldown_minutes: 30, rules: warning, quiet_hours: { ...quiet, start: "11:30", end: "12:30" } }); // minutes 90-150
    const due = await sweepAlerts(at(100));
    await Promise.all(due.map((id) => deliverAlertNotification(id, { now: at(100) })));
    expect(await emailsSent()).toEqual(["OPEN@40", "RESOLVE@42", "OPEN@70"]); // failed before: the recovery went out inside quiet hours
    await send(await sweepAlerts(at(150)));
    expect(await emailsSent()).toEqual(["OPEN@40", "RESOLVE@42", "OPEN@70", "RESOLVE@150"]);
  });

  test("an open held by quiet hours starts the re-notify interval when it is sent, not when it opened", async () => {
    // Quiet 10:30-14:00 Berlin = minutes 30-240; reminders every 60 minutes.
    await configure({ cooldown_minutes: 0, renotify_minutes: 60, quiet_hours: { ...quiet, end: "14:00" },
      rules: { ...ONE_FAILURE_RULES, consecutive_failures: { enabled: true, severity: "warning", count: 1 } } });
    await outcome(await newSchedule(), "FAILED", 30);
    for (const m of [120, 239]) await send(await sweepAlerts(at(m)));
    expect(webhookTypes()).toEqual([]);
    await send(await sweepAlerts(at(240)));
    await send(await sweepAlerts(at(241)));
    await send(await sweepAlerts(at(299)));
    expect(await sentLog()).toEqual(["OPEN@240"]);
    await send(await sweepAlerts(at(300)));
    expect(await sentLog()).toEqual(["OPEN@240", "RENOTIFY@300"]);
  });
});

describe("held messages when due", () => {
  const quiet = { days: [1], start: "10:30", end: "11:00", time_zone: "Europe/Berlin" }; // minutes 30-60
  const warning = { ...ONE_FAILURE_RULES, consecutive_failures: { enabled: true, severity: "warning" as const, count: 1 } };

  test("two sweeps at the due minute at once: the held open goes out once per channel", async () => {
    await configure({ cooldown_minutes: 0, quiet_hours: quiet, rules: warning });
    await outcome(await newSchedule(), "FAILED", 30);
    const [a, b] = await Promise.all([sweepAlerts(at(60)), sweepAlerts(at(60))]);
    await Promise.allSettled([send(a!), send(b!)]);
    await send(await sweepAlerts(at(61)));
    expect(messages()).toEqual({ emails: 1, webhooks: 1 });
  });

  test("a held open of a workspace snoozed meanwhile is not sent when due", async () => {
    await configure({ cooldown_minutes: 0, quiet_hours: quiet, rules: warning });
    await outcome(await newSchedule(), "FAILED", 30);
    await systemDb().alertSettings.update({ where: { ownerId: OWNER }, data: { snoozedUntil: new Date(Date.now() + 86_400_000) } });
    await send(await sweepAlerts(at(60)));
    expect(messages()).toEqual({ emails: 0, webhooks: 0 });
    expect(await systemDb().alertNotification.count({ where: { ownerId: OWNER, status: "SKIPPED", errorCode: "snoozed" } })).toBe(2);
  });
});

describe("dead-man after an outage", () => {
  test("when the executor comes back, a dispatcher silence is judged only after the sweep itself has watched for M minutes", async () => {
    await configure({ rules: { ...DEFAULT_RULES, failures_in_window: off(DEFAULT_RULES.failures_in_window), scheduler_silent: { enabled: true, severity: "critical", minutes: 10 } } });
    const tick = (minute: number) => systemDb().schedulerTick.create({ data: { kind: "DISPATCH", outcome: "SUCCESS", startedAt: at(minute), finishedAt: at(minute), durationMs: 10 } });
    for (let m = 0; m <= 20; m++) {
      await tick(m);
      await send(await sweepAlerts(at(m)));
    }
    // Executor down from minute 21 to 50: neither the dispatcher nor the sweep runs. It comes back at 51.
    await send(await sweepAlerts(at(51))); // the sweep first: the dispatcher has not ticked yet
    await tick(52);
    await send(await sweepAlerts(at(52)));
    expect(await systemDb().alert.count({ where: { ownerId: OWNER } })).toBe(0);
    expect(messages()).toEqual({ emails: 0, webhooks: 0 });

    // Back, but the dispatcher stays silent: blamed once the sweep has watched for 10 minutes.
    for (let m = 53; m <= 62; m++) await send(await sweepAlerts(at(m)));
    expect(await systemDb().alert.count({ where: { ownerId: OWNER } })).toBe(0);
    await send(await sweepAlerts(at(63)));
    expect(await systemDb().alert.findMany({ where: { ownerId: OWNER } })).toMatchObject([{ kind: "SCHEDULER_SILENT", status: "OPEN" }]);
  });
});

// Gaps a review of issue #16 found, in process on Postgres: alerts of deleted or paused schedules, a late
// crm/connection.expired, slow_run recovery, duplicate webhook URLs, two concurrent secret rotations, and
// what an email is recorded as without RESEND_API_KEY.
import { describe, expect, test } from "vitest";
import { sendTestAlert } from "@/lib/alerts/alerts";
import { evaluateRunOutcome } from "@/lib/alerts/evaluate-runs";
import { evaluateConnectionExpired, sweepAlerts } from "@/lib/alerts/evaluate-system";
import { DEFAULT_RULES } from "@/lib/alerts/schemas";
import { updateAlertSettings } from "@/lib/alerts/settings";
import { systemDb } from "@/lib/db";
import { alertHarness, at, ONE_FAILURE_RULES } from "@/tests/support/alerts";
import { setEnv } from "@/tests/support/delivery-fixtures";
import { createSchedule } from "@/tests/support/in-process-inngest";

const OWNER = "org_alert_gaps";
const { fakes, h, body, configure, send, outcome, messages, webhookTypes } = alertHarness(OWNER);
const newSchedule = () => createSchedule({ ownerId: OWNER, nextRunAt: null });
const NONE = Object.fromEntries(Object.entries(DEFAULT_RULES).map(([k, r]) => [k, { ...r, enabled: false }])) as typeof DEFAULT_RULES;

describe("subjects that went away", () => {
  test("alerts of a paused and of a deleted schedule resolve with the reason, once, and stop re-notifying", async () => {
    await configure({ cooldown_minutes: 0 });
    const paused = await newSchedule();
    const deleted = await newSchedule();
    await outcome(paused, "FAILED", 0);
    await outcome(deleted, "FAILED", 0);
    await systemDb().scheduledReview.update({ where: { id: paused.id }, data: { isActive: false } });
    await systemDb().scheduledReview.delete({ where: { id: deleted.id } });
    await send(await sweepAlerts(at(1)));
    const alerts = await systemDb().alert.findMany({ where: { ownerId: OWNER }, orderBy: { resolution: "asc" } });
    expect(alerts.map((a) => [a.status, a.resolution])).toEqual([["RESOLVED", "schedule_deleted"], ["RESOLVED", "schedule_paused"]]);
    const resolved = h.hook.accepted("/hook").filter((r) => r.body?.type === "alert.resolved").map((r) => (r.body as { alert: { summary: string } }).alert.summary);
    expect(resolved.sort()).toEqual(["Schedule deleted.", "Schedule paused."]);
    for (const m of [61, 121, 300]) await send(await sweepAlerts(at(m)));
    expect(messages()).toEqual({ emails: 4, webhooks: 4 }); // two opens, two recoveries, no reminders
  });

  test("a run outcome of a paused schedule opens nothing", async () => {
    await configure({ cooldown_minutes: 0 });
    const schedule = await newSchedule();
    await systemDb().scheduledReview.update({ where: { id: schedule.id }, data: { isActive: false } });
    await outcome(schedule, "FAILED", 0);
    expect(await systemDb().alert.count({ where: { ownerId: OWNER } })).toBe(0);
    expect(messages()).toEqual({ emails: 0, webhooks: 0 });
  });

  test("a workspace without saved settings, schedules or monitors still resolves the alert of its deleted schedule", async () => {
    const other = "org_alert_gaps_unsaved";
    const schedule = await createSchedule({ ownerId: other, nextRunAt: null });
    const run = await systemDb().reviewRun.create({ data: { ownerId: other, scheduledReviewId: schedule.id, trigger: "SCHEDULED", status: "FAILED", scheduledFor: at(0), queuedAt: at(0), completedAt: at(0), durationMs: 1000 } });
    await systemDb().reviewRun.create({ data: { ownerId: other, scheduledReviewId: schedule.id, trigger: "SCHEDULED", status: "FAILED", scheduledFor: at(1), queuedAt: at(1), completedAt: at(1), durationMs: 1000 } });
    await evaluateRunOutcome({ ownerId: other, scheduleId: schedule.id, runId: run.id }, at(1)); // defaults: 2 in a row open
    expect(await systemDb().alert.findMany({ where: { ownerId: other } })).toMatchObject([{ status: "OPEN" }]);
    await systemDb().scheduledReview.delete({ where: { id: schedule.id } });
    await sweepAlerts(at(2));
    expect(await systemDb().alert.findMany({ where: { ownerId: other } })).toMatchObject([{ status: "RESOLVED", resolution: "schedule_deleted" }]);
  });

  test("a late crm/connection.expired for a connection that is active again opens nothing; an expired one opens", async () => {
    await configure({ rules: { ...NONE, connection_expired: { enabled: true, severity: "critical" } } });
    const schedule = await newSchedule();
    const event = { ownerId: OWNER, connectionId: schedule.crmConnectionId, provider: "HUBSPOT", reason: "invalid_grant" };
    expect(await evaluateConnectionExpired(event, at(0))).toEqual([]);
    expect(await systemDb().alert.count({ where: { ownerId: OWNER } })).toBe(0);
    await systemDb().crmConnection.update({ where: { id: schedule.crmConnectionId }, data: { status: "EXPIRED" } });
    await send(await evaluateConnectionExpired(event, at(1)));
    expect(await systemDb().alert.findMany({ where: { ownerId: OWNER } })).toMatchObject([{ kind: "CONNECTION_EXPIRED", status: "OPEN" }]);
  });
});

describe("slow_run recovery", () => {
  test("a failed run under the limit does not recover a slow-run alert; a completed one does", async () => {
    await configure({ cooldown_minutes: 0, rules: { ...NONE, slow_run: { enabled: true, severity: "warning", limit_seconds: 60 } } });
    const schedule = await newSchedule();
    await outcome(schedule, "COMPLETED", 0, { durationMs: 120_000 });
    await outcome(schedule, "FAILED", 1, { durationMs: 500 });
    expect(await systemDb().alert.findMany({ where: { ownerId: OWNER } })).toMatchObject([{ kind: "SLOW_RUN", status: "OPEN" }]);
    await outcome(schedule, "COMPLETED", 2, { durationMs: 500 });
    expect(await systemDb().alert.findMany({ where: { ownerId: OWNER } })).toMatchObject([{ kind: "SLOW_RUN", status: "RESOLVED" }]);
    expect(webhookTypes()).toEqual(["alert.opened", "alert.resolved"]);
  });
});

describe("settings writes", () => {
  test("the same webhook URL twice (given twice, or a saved one given again) is refused with details; nothing is written", async () => {
    const saved = await configure();
    const url = `${h.hook.url}/hook`;
    await expect(updateAlertSettings(OWNER, body({ webhooks: [{ url: `${h.hook.url}/other` }, { url: `${h.hook.url}/other` }] }), "user_alerts_admin")).rejects.toMatchObject({
      code: "validation_error", details: [{ path: "webhooks.1.url", message: expect.stringContaining("webhooks.0") }],
    });
    await expect(updateAlertSettings(OWNER, body({ webhooks: [{ id: saved.webhooks[0]!.id }, { url }] }), "user_alerts_admin")).rejects.toMatchObject({
      code: "validation_error", details: [{ path: "webhooks.1.url" }],
    });
    const row = await systemDb().alertSettings.findUniqueOrThrow({ where: { ownerId: OWNER } });
    expect((row.webhooks as unknown[]).length).toBe(1);
    expect(row.updatedAt.toISOString()).toBe(saved.updated_at);
  });

  test("two concurrent rotations: exactly one lands and its secret signs; the other answers conflict and its secret is never stored", async () => {
    await configure();
    // Hold the row so both writers have read the same version before either writes.
    let release!: () => void;
    let locked!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const lock = systemDb().$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM "AlertSettings" WHERE "ownerId" = ${OWNER} FOR UPDATE`;
      locked();
      await held;
    }, { timeout: 30_000 });
    await isLocked;
    const rotations = [0, 1].map(() => updateAlertSettings(OWNER, body({ webhooks: undefined, rotate_webhook_secret: true }), "user_alerts_admin").then((ok) => ({ ok }), (err: unknown) => ({ err })));
    const waiting = async () => (await systemDb().$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%AlertSettings%'`)[0]!.n;
    for (let polls = 0; (await waiting()) < 2; polls++) { // both writers blocked on the row
      if (polls >= 500) throw new Error("the two rotations never both waited on the settings row");
      await new Promise((r) => setTimeout(r, 20));
    }
    release();
    await lock;
    const results = await Promise.all(rotations);
    const won = results.flatMap((r) => ("ok" in r ? [r.ok] : []));
    expect(won).toHaveLength(1);
    expect(results.flatMap((r) => ("err" in r ? [r.err] : []))).toMatchObject([{ code: "conflict" }]);
    const row = await systemDb().alertSettings.findUniqueOrThrow({ where: { ownerId: OWNER } });
    expect(row.webhookSecretMasked).toBe(won[0]!.webhook_secret_masked);
    h.hook.setSecret("/hook", won[0]!.webhook_secret!);
    expect((await sendTestAlert(OWNER)).results.find((r) => r.channel === "webhook")).toMatchObject({ status: "sent" });
    expect(h.hook.accepted("/hook")).toMatchObject([{ verified: true }]);
  });
});

describe("email without RESEND_API_KEY", () => {
  test("locally the email is kept and recorded skipped (email_outbox), never sent", async () => {
    await configure({ rules: ONE_FAILURE_RULES });
    setEnv({ RESEND_API_KEY: undefined });
    const { results } = await sendTestAlert(OWNER);
    expect(results.find((r) => r.channel === "email")).toMatchObject({ status: "skipped", error_code: "email_outbox", error_message: expect.stringContaining("RESEND_API_KEY") });
    expect(fakes.resend.requests).toHaveLength(0);
  });

  test("an email-only workspace: the outbox-kept open counts as told, so its recovery is kept too (not not_told_open)", async () => {
    await configure({ cooldown_minutes: 0, webhooks: [] });
    setEnv({ RESEND_API_KEY: undefined });
    const schedule = await newSchedule();
    await outcome(schedule, "FAILED", 0);
    await outcome(schedule, "COMPLETED", 1);
    const rows = await systemDb().alertNotification.findMany({ where: { ownerId: OWNER }, orderBy: { createdAt: "asc" } });
    expect(rows.map((r) => [r.kind, r.status, r.errorCode])).toEqual([["OPEN", "SKIPPED", "email_outbox"], ["RESOLVE", "SKIPPED", "email_outbox"]]);
  });
});

// Shared by the in-process alert tests: the fake Resend and a fake webhook receiver, settings saved
// through lib/alerts/settings (the receiver learns the secret shown once), runs finished at a minute
// of a fixed clock and evaluated at that minute, and their notifications sent.
import { afterAll, beforeAll } from "vitest";
import { evaluateRunOutcome } from "@/lib/alerts/evaluate-runs";
import { deliverAlertNotification } from "@/lib/alerts/notify";
import { DEFAULT_RULES, type UpdateAlertSettings } from "@/lib/alerts/schemas";
import { updateAlertSettings } from "@/lib/alerts/settings";
import { systemDb } from "@/lib/db";
import { setupDeliveryFakes } from "@/tests/support/delivery-fixtures";
import { startFakeWebhook, type FakeWebhook } from "@/tests/support/fake-webhook";

const MIN = 60_000;
export const T0 = new Date("2026-11-30T09:00:00.000Z");
export const at = (minutes: number) => new Date(T0.getTime() + minutes * MIN);
export const TO = "ops@acme.com";
export const off = <T extends object>(r: T) => ({ ...r, enabled: false });

/** Only "1 failed run in a row" (critical) on: every failure opens, every success resolves (recovery_successes 1). */
export const ONE_FAILURE_RULES = {
  ...DEFAULT_RULES, failures_in_window: off(DEFAULT_RULES.failures_in_window), consecutive_failures: { enabled: true, severity: "critical" as const, count: 1 },
  connection_expired: off(DEFAULT_RULES.connection_expired), coverage_below: off(DEFAULT_RULES.coverage_below), scheduler_silent: off(DEFAULT_RULES.scheduler_silent),
};

export function alertHarness(owner: string) {
  const fakes = setupDeliveryFakes();
  const h = { hook: undefined as unknown as FakeWebhook };
  beforeAll(async () => {
    h.hook = await startFakeWebhook();
  });
  afterAll(() => h.hook.close());

  const body = (over: Partial<UpdateAlertSettings> = {}): UpdateAlertSettings => ({
    enabled: true, rules: ONE_FAILURE_RULES, recovery_successes: 1, renotify_minutes: 60, cooldown_minutes: 30, flapping_per_day: 5,
    email_recipients: [TO], webhooks: [{ url: `${h.hook.url}/hook` }], ...over,
  });
  async function configure(over: Partial<UpdateAlertSettings> = {}) {
    h.hook.reset();
    const saved = await updateAlertSettings(owner, body(over), "user_alerts_admin");
    h.hook.setSecret("/hook", saved.webhook_secret!);
    return saved;
  }
  const send = async (ids: string[]) => Promise.all(ids.map((id) => deliverAlertNotification(id)));
  /** A finished run at `minute`, then the evaluation its outcome event triggers, its notifications sent. */
  async function outcome(schedule: { id: string; ownerId: string }, status: "FAILED" | "COMPLETED", minute: number, over: { missedSlots?: number; durationMs?: number } = {}) {
    const run = await systemDb().reviewRun.create({
      data: { ownerId: schedule.ownerId, scheduledReviewId: schedule.id, trigger: "SCHEDULED", status, scheduledFor: at(minute), queuedAt: at(minute), completedAt: at(minute),
        durationMs: over.durationMs ?? 1000, missedSlots: over.missedSlots ?? 0 },
    });
    return send(await evaluateRunOutcome({ ownerId: schedule.ownerId, scheduleId: schedule.id, runId: run.id }, at(minute)));
  }
  const messages = () => ({ emails: fakes.resend.emails.length, webhooks: h.hook.accepted("/hook").length });
  const webhookTypes = () => h.hook.accepted("/hook").map((r) => r.body?.type);
  return { fakes, h, body, configure, send, outcome, messages, webhookTypes };
}

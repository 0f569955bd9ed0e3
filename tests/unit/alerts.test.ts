// Alert settings and messages as pure logic: rules parsed over defaults, the settings contract, the
// webhook SSRF rule (loopback only for the test doubles), and the signature a receiver verifies.
import { afterEach, describe, expect, it } from "vitest";
import { emailFor, signWebhook, webhookBodyFor } from "@/lib/alerts/message";
import { DEFAULT_RULES, updateAlertSettingsSchema } from "@/lib/alerts/schemas";
import { parseRules, webhookUrlProblem } from "@/lib/alerts/settings";
import { resetEnvCache } from "@/lib/env";
import { verifySignature } from "@/tests/support/fake-webhook";

afterEach(() => {
  delete process.env.ALLOW_LOOPBACK_DELIVERY;
  resetEnvCache();
});

const validSettings = {
  enabled: true, rules: DEFAULT_RULES, recovery_successes: 2, renotify_minutes: 60, cooldown_minutes: 30, flapping_per_day: 5, email_recipients: ["a@example.com"],
};

describe("rules", () => {
  it("stored rules are read rule by rule over the defaults: a missing or malformed rule is its default", () => {
    const stored = { ...DEFAULT_RULES, slow_run: { enabled: true, severity: "info", limit_seconds: 30 }, coverage_below: { enabled: "yes" } } as Record<string, unknown>;
    delete stored.scheduler_silent;
    const rules = parseRules(stored);
    expect(rules.slow_run).toEqual({ enabled: true, severity: "info", limit_seconds: 30 });
    expect(rules.coverage_below).toEqual(DEFAULT_RULES.coverage_below);
    expect(rules.scheduler_silent).toEqual(DEFAULT_RULES.scheduler_silent);
    expect(parseRules(null)).toEqual(DEFAULT_RULES);
  });

  it("the settings body is strict: thresholds bounded, severities closed, recipients unique, at most 5 webhooks", () => {
    expect(updateAlertSettingsSchema.safeParse(validSettings).success).toBe(true);
    const bad = [
      { rules: { ...DEFAULT_RULES, failures_in_window: { ...DEFAULT_RULES.failures_in_window, count: 0 } } },
      { rules: { ...DEFAULT_RULES, scheduler_silent: { ...DEFAULT_RULES.scheduler_silent, minutes: 1 } } },
      { rules: { ...DEFAULT_RULES, low_health_score: { ...DEFAULT_RULES.low_health_score, severity: "panic" } } },
      { email_recipients: ["a@example.com", "A@example.com"] },
      { webhooks: Array.from({ length: 6 }, () => ({ url: "https://example.com/h" })) },
      { webhooks: [{ url: "not a url" }] },
      { renotify_minutes: 0 },
      { extra: true },
    ];
    for (const over of bad) expect(updateAlertSettingsSchema.safeParse({ ...validSettings, ...over }).success, JSON.stringify(over)).toBe(false);
  });
});

describe("webhook URLs", () => {
  it("https to a public host only; http on loopback only with ALLOW_LOOPBACK_DELIVERY", () => {
    expect(webhookUrlProblem("https://hooks.example.com/x")).toBeNull();
    for (const url of ["http://hooks.example.com/x", "https://127.0.0.1/x", "https://10.1.2.3/x", "https://[::1]/x", "https://user:pw@example.com/x", "http://127.0.0.1:8306/x"])
      expect(webhookUrlProblem(url), url).not.toBeNull();
    process.env.ALLOW_LOOPBACK_DELIVERY = "1";
    resetEnvCache();
    expect(webhookUrlProblem("http://127.0.0.1:8306/x")).toBeNull();
    expect(webhookUrlProblem("http://10.1.2.3/x")).not.toBeNull();
  });
});

describe("messages", () => {
  const alert = {
    id: "al_1", kind: "FAILURES_IN_WINDOW", severity: "CRITICAL", status: "RESOLVED", title: "Weekly <EMEA>: 3+ failed runs in 24 h", message: "m & n",
    openedAt: new Date("2026-11-30T09:00:00Z"), resolvedAt: new Date("2026-11-30T10:00:00Z"), subjectType: "schedule", subjectId: "s1", scheduledReviewId: "s1", flapping: false,
  } as const;

  it("a signature over timestamp + body verifies with the secret, and fails for another secret, body or an old timestamp", () => {
    const body = JSON.stringify(webhookBodyFor({ kind: "RESOLVE", alert, summary: "4 runs failed", at: new Date() }, "al_1:resolve:webhook:w1"));
    const ts = Math.floor(Date.now() / 1000);
    const headers = { "revwatch-timestamp": String(ts), "revwatch-signature": signWebhook("whsec_a", ts, body) };
    expect(headers["revwatch-signature"]).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verifySignature("whsec_a", headers, body)).toBe(true);
    expect(verifySignature("whsec_b", headers, body)).toBe(false);
    expect(verifySignature("whsec_a", headers, body.replace("4 runs", "5 runs"))).toBe(false);
    expect(verifySignature("whsec_a", headers, body, ts + 301)).toBe(false);
  });

  it("the recovery email says what happened meanwhile, escaped in HTML", () => {
    const email = emailFor({ kind: "RESOLVE", alert, summary: "4 runs failed since the last successful run.", at: new Date() }, "from@x", ["to@x"]);
    expect(email.subject).toBe("[RESOLVED] Weekly <EMEA>: 3+ failed runs in 24 h");
    expect(email.text).toContain("4 runs failed");
    expect(email.html).toContain("Weekly &#60;EMEA&#62;");
    expect(email.html).not.toContain("<EMEA>");
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { postJson } from "@/lib/delivery/http-post";
import { sendEmailViaResend, type SendEmailInput } from "@/lib/delivery/resend-client";
import { DeliveryError } from "@/lib/delivery/url-safety";
import { startFakeResend, type FakeResend } from "@/tests/support/fake-resend";
import { startFakeSlack, type FakeSlack } from "@/tests/support/fake-slack";

async function caught(p: Promise<unknown>): Promise<DeliveryError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DeliveryError);
  return err as DeliveryError;
}

describe("sendEmailViaResend against the fake Resend", () => {
  let resend: FakeResend;
  const input = (over: Partial<SendEmailInput> = {}): SendEmailInput => ({
    apiKey: "re_test_key",
    from: "Revwatch <reviews@revwatch.test>",
    to: ["ana@example.com", "bo@example.com"],
    subject: "Pipeline review: Weekly — health 75 (down 4)",
    html: "<p>Health 75</p>",
    text: "Health 75",
    idempotencyKey: "delivery/run_1/email",
    baseUrl: resend.url,
    ...over,
  });

  beforeAll(async () => {
    resend = await startFakeResend({ apiKey: "re_test_key" });
  });
  afterAll(() => resend.close());
  beforeEach(() => resend.reset());

  it("sends the exact payload with auth and Idempotency-Key", async () => {
    const { id } = await sendEmailViaResend(input());
    expect(id).toMatch(/[0-9a-f-]{36}/);
    expect(resend.emails).toHaveLength(1);
    const [email] = resend.emails;
    expect(email.id).toBe(id);
    expect(email.headers.authorization).toBe("Bearer re_test_key");
    expect(email.headers["idempotency-key"]).toBe("delivery/run_1/email");
    expect(email.body).toMatchObject({
      from: "Revwatch <reviews@revwatch.test>",
      to: ["ana@example.com", "bo@example.com"],
      subject: "Pipeline review: Weekly — health 75 (down 4)",
      html: "<p>Health 75</p>",
      text: "Health 75",
    });
  });

  it("same idempotency key twice -> one email, same id", async () => {
    const a = await sendEmailViaResend(input());
    const b = await sendEmailViaResend(input());
    expect(b.id).toBe(a.id);
    expect(resend.requests).toHaveLength(2);
    expect(resend.emails).toHaveLength(1);
    const c = await sendEmailViaResend(input({ idempotencyKey: "delivery/run_2/email" }));
    expect(c.id).not.toBe(a.id);
    expect(resend.emails).toHaveLength(2);
  });

  it("500 -> retryable, and a retry with the same key then succeeds once", async () => {
    resend.failNext(1, 500);
    const err = await caught(sendEmailViaResend(input()));
    expect(err).toMatchObject({ retryable: true, status: 500, code: "http_5xx" });
    expect(resend.emails).toHaveLength(0);
    await sendEmailViaResend(input());
    expect(resend.emails).toHaveLength(1);
  });

  it("422 -> not retryable, message kept", async () => {
    resend.failNext(1, 422, { name: "validation_error", message: "Invalid `to` field." });
    const err = await caught(sendEmailViaResend(input()));
    expect(err).toMatchObject({ retryable: false, status: 422, code: "resend_validation" });
    expect(err.message).toContain("Invalid `to` field.");
  });

  it("429 -> retryable; quota -> not", async () => {
    resend.failNext(1, 429);
    expect(await caught(sendEmailViaResend(input()))).toMatchObject({ retryable: true, code: "rate_limited" });
    resend.failNext(1, 429, { name: "daily_quota_exceeded", message: "quota" });
    expect(await caught(sendEmailViaResend(input()))).toMatchObject({ retryable: false, code: "resend_quota_exceeded" });
  });

  it("bad API key -> not retryable", async () => {
    const err = await caught(sendEmailViaResend(input({ apiKey: "re_wrong" })));
    expect(err).toMatchObject({ retryable: false, status: 403, code: "resend_auth" });
    expect((await caught(sendEmailViaResend(input({ apiKey: "" })))).code).toBe("resend_auth");
  });

  it("outage (503) and connection refused -> retryable", async () => {
    resend.down = true;
    expect(await caught(sendEmailViaResend(input()))).toMatchObject({ retryable: true, status: 503 });
    resend.down = false;
    const closed = await startFakeResend();
    const deadUrl = closed.url;
    await closed.close();
    expect(await caught(sendEmailViaResend(input({ baseUrl: deadUrl })))).toMatchObject({
      retryable: true,
      code: "network_error",
    });
  });

  it("same key with a different payload -> non-retryable conflict", async () => {
    await sendEmailViaResend(input());
    const err = await caught(sendEmailViaResend(input({ subject: "changed" })));
    expect(err).toMatchObject({ retryable: false, status: 409, code: "resend_idempotency_conflict" });
  });
});

describe("postJson against the fake Slack", () => {
  let slack: FakeSlack;
  const loop = { allowLoopback: true };

  beforeAll(async () => {
    slack = await startFakeSlack();
  });
  afterAll(() => slack.close());
  beforeEach(() => slack.reset());

  it("posts JSON and returns Slack's ok", async () => {
    const res = await postJson(slack.webhookUrl(), { text: "hi", blocks: [] }, loop);
    expect(res).toEqual({ status: 200, bodyText: "ok" });
    expect(slack.messages).toHaveLength(1);
    expect(slack.messages[0].body).toEqual({ text: "hi", blocks: [] });
    expect(slack.messages[0].headers["content-type"]).toBe("application/json");
  });

  it("refuses loopback unless allowed", async () => {
    const err = await caught(postJson(slack.webhookUrl(), { text: "hi" }));
    expect(err.code).toBe("unsafe_destination");
    expect(slack.requestCount).toBe(0);
  });

  it.each([
    ["no_service", 404],
    ["invalid_token", 403],
  ] as const)("revoked webhook (%s) -> non-retryable slack_webhook_revoked", async (kind, status) => {
    const path = "/services/T1/B1/revoked";
    slack.revoke(path, kind);
    const err = await caught(postJson(slack.webhookUrl(path), { text: "hi" }, loop));
    expect(err).toMatchObject({ code: "slack_webhook_revoked", retryable: false, status });
    expect(err.message).not.toContain("/services/");
  });

  it("other 4xx -> non-retryable http_4xx", async () => {
    const err = await caught(postJson(slack.webhookUrl(), { nothing: true }, loop));
    expect(err).toMatchObject({ code: "http_4xx", retryable: false, status: 400 });
    expect(err.message).toContain("no_text");
  });

  it("500 once -> retryable, then ok", async () => {
    slack.failNext(1, 500);
    expect(await caught(postJson(slack.webhookUrl(), { text: "hi" }, loop))).toMatchObject({
      code: "http_5xx",
      retryable: true,
      status: 500,
    });
    await expect(postJson(slack.webhookUrl(), { text: "hi" }, loop)).resolves.toMatchObject({ status: 200 });
  });

  it("429 and 408 -> retryable", async () => {
    slack.respondNext(1, 429, "rate_limited");
    expect(await caught(postJson(slack.webhookUrl(), { text: "a" }, loop))).toMatchObject({ code: "rate_limited", retryable: true });
    slack.respondNext(1, 408, "");
    expect(await caught(postJson(slack.webhookUrl(), { text: "a" }, loop))).toMatchObject({ code: "request_timeout", retryable: true });
  });

  it("timeout -> retryable", async () => {
    slack.slowMs = 2_000;
    const started = Date.now();
    const err = await caught(postJson(slack.webhookUrl(), { text: "hi" }, { ...loop, timeoutMs: 200 }));
    expect(err).toMatchObject({ code: "timeout", retryable: true });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("connection refused -> retryable network_error", async () => {
    const dead = await startFakeSlack();
    const url = dead.webhookUrl();
    await dead.close();
    expect(await caught(postJson(url, { text: "hi" }, loop))).toMatchObject({ code: "network_error", retryable: true });
  });

  it("a redirect is a failure and is not followed", async () => {
    slack.respondNext(1, 302, "", { location: slack.webhookUrl("/services/T9/B9/elsewhere") });
    const err = await caught(postJson(slack.webhookUrl(), { text: "hi" }, loop));
    expect(err).toMatchObject({ code: "redirect", retryable: false, status: 302 });
    expect(slack.requestCount).toBe(1);
    expect(slack.messages).toHaveLength(0);
  });

  it("cuts an oversized response at the limit without failing", async () => {
    slack.respondNext(1, 200, "x".repeat(300_000));
    const res = await postJson(slack.webhookUrl(), { text: "hi" }, { ...loop, maxResponseBytes: 1024 });
    expect(res.status).toBe(200);
    expect(res.bodyText).toBe("x".repeat(1024));
    const def = await (async () => {
      slack.respondNext(1, 200, "y".repeat(300_000));
      return postJson(slack.webhookUrl(), { text: "hi" }, loop);
    })();
    expect(def.bodyText.length).toBe(64 * 1024);
  });
});

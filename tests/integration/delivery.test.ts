// Delivery, in process: real Postgres, the fake Resend API and a fake Slack webhook on loopback.
import { NonRetriableError } from "inngest";
import { describe, expect, it } from "vitest";
import { maskUrl } from "@/lib/crypto";
import { systemDb } from "@/lib/db";
import { deliverChannel, type DeliverArgs } from "@/lib/delivery/deliver";
import { renderReviewEmail } from "@/lib/delivery/email-template";
import { slackMessageFor } from "@/lib/delivery/slack-blocks";
import { RunGoneError } from "@/lib/errors";
import {
  APP_URL,
  FROM,
  HOOK_PATH,
  OWNER,
  RECIPIENTS,
  SUBJECT,
  deliverArgs as args,
  deliveryRow,
  expectedSummary,
  seedRun,
  setEnv,
  setupDeliveryFakes,
} from "../support/delivery-fixtures";

const fakes = setupDeliveryFakes();
const seed = (opts?: Parameters<typeof seedRun>[1]) => seedRun(fakes.slack, opts);

describe("email through Resend", () => {
  it("sends the exact message to the schedule's recipients and records it", async () => {
    const run = await seed();
    const result = await deliverChannel(args(run.id));

    expect(result.status).toBe("sent");
    expect(fakes.resend.emails).toHaveLength(1);
    const email = fakes.resend.emails[0];
    const rendered = await renderReviewEmail(expectedSummary(run.analysisId!));
    expect(email.body).toEqual({ from: FROM, to: RECIPIENTS, subject: rendered.subject, html: rendered.html, text: rendered.text });
    expect(email.body.subject).toBe(SUBJECT);
    expect(email.body.html).toContain(">75<");
    expect(email.body.html).toContain(`href="${APP_URL}/analysis/${run.analysisId}"`);
    expect(email.headers.authorization).toBe(`Bearer ${fakes.resend.apiKey}`);
    expect(email.idempotencyKey).toBe(`${run.id}:EMAIL:inngest-run-1`);

    const row = await deliveryRow(result.deliveryId);
    expect(row).toMatchObject({
      runId: run.id,
      ownerId: OWNER,
      channel: "EMAIL",
      status: "SENT",
      target: "a•••@acme.com (+2)",
      providerMessageId: email.id,
      attempts: 1,
      errorCode: null,
      idempotencyKey: `${run.id}:EMAIL:inngest-run-1`,
    });
    expect(row.sentAt).toBeInstanceOf(Date);
    expect(row.payload).toEqual(email.body);
  });

  it("a step retry (same Inngest run) sends nothing more; a replay (new Inngest run) does not send again, and says so", async () => {
    const run = await seed();
    const first = await deliverChannel(args(run.id));
    const retry = await deliverChannel(args(run.id, { attempt: 1 }));

    expect(retry).toEqual(first);
    expect(fakes.resend.requests).toHaveLength(1);
    expect((await deliveryRow(first.deliveryId)).attempts).toBe(1);

    const replay = await deliverChannel(args(run.id, { inngestRunId: "inngest-run-2" }));
    expect(replay.status).toBe("skipped");
    expect(replay.deliveryId).not.toBe(first.deliveryId);
    expect(fakes.resend.emails.map((e) => e.idempotencyKey)).toEqual([`${run.id}:EMAIL:inngest-run-1`]);
    const skipped = await deliveryRow(replay.deliveryId);
    expect(skipped).toMatchObject({ status: "SKIPPED", errorCode: "already_sent", providerMessageId: null });
    expect(skipped.errorMessage).toContain((await deliveryRow(first.deliveryId)).sentAt!.toISOString());
  });

  it("a replay sends a channel whose earlier delivery failed", async () => {
    const run = await seed();
    fakes.resend.failNext(1, 422);
    expect((await deliverChannel(args(run.id))).status).toBe("failed");
    const replay = await deliverChannel(args(run.id, { inngestRunId: "inngest-run-2" }));
    expect(replay.status).toBe("sent");
    expect(fakes.resend.emails.map((e) => e.idempotencyKey)).toEqual([`${run.id}:EMAIL:inngest-run-2`]);
  });

  it("Resend failing once then succeeding: the first try asks for a retry, exactly one email goes out", async () => {
    const run = await seed();
    fakes.resend.failNext(1, 500);

    await expect(deliverChannel(args(run.id))).rejects.toMatchObject({ name: "DeliveryError", code: "http_5xx", retryable: true });
    const pending = await systemDb().delivery.findFirstOrThrow({ where: { runId: run.id } });
    expect(pending).toMatchObject({ status: "PENDING", attempts: 1, errorCode: "http_5xx" });

    const result = await deliverChannel(args(run.id, { attempt: 1 }));
    expect(result).toEqual({ status: "sent", deliveryId: pending.id });
    expect(fakes.resend.requests).toHaveLength(2);
    expect(fakes.resend.requests[1].idempotencyKey).toBe(fakes.resend.requests[0].idempotencyKey);
    expect(fakes.resend.emails).toHaveLength(1);
    expect(await deliveryRow(pending.id)).toMatchObject({ status: "SENT", attempts: 2, errorCode: null, errorMessage: null });
  });

  it("Resend down on every attempt: the last attempt records the failure and returns instead of throwing", async () => {
    const run = await seed();
    fakes.resend.down = true;

    await expect(deliverChannel(args(run.id, { attempt: 0 }))).rejects.toMatchObject({ code: "http_5xx" });
    await expect(deliverChannel(args(run.id, { attempt: 1 }))).rejects.toMatchObject({ code: "http_5xx" });
    const result = await deliverChannel(args(run.id, { attempt: 2 }));

    expect(result.status).toBe("failed");
    expect(fakes.resend.requests).toHaveLength(3);
    expect(fakes.resend.emails).toHaveLength(0);
    const row = await deliveryRow(result.deliveryId);
    expect(row).toMatchObject({ status: "FAILED", attempts: 3, errorCode: "http_5xx", sentAt: null });
    expect(row.errorMessage).toContain("503");
    // A later call for the same Inngest run does not try again.
    expect(await deliverChannel(args(run.id, { attempt: 2 }))).toEqual(result);
    expect(fakes.resend.requests).toHaveLength(3);
  });

  it("a rejected request (4xx) fails at once without a retry", async () => {
    const run = await seed();
    fakes.resend.failNext(1, 422, { name: "validation_error", message: "Invalid `to` field." });

    const result = await deliverChannel(args(run.id));
    expect(result.status).toBe("failed");
    expect(await deliveryRow(result.deliveryId)).toMatchObject({ status: "FAILED", attempts: 1, errorCode: "resend_validation" });
    expect(fakes.resend.requests).toHaveLength(1);
  });

  it("no recipients: skipped, nothing sent", async () => {
    const run = await seed({ recipients: [] });
    const result = await deliverChannel(args(run.id));
    expect(result.status).toBe("skipped");
    expect(await deliveryRow(result.deliveryId)).toMatchObject({ status: "SKIPPED", errorCode: "no_recipients", payload: null });
    expect(fakes.resend.requests).toHaveLength(0);
  });

  it("a first run has no delta in the subject and counts every issue as new", async () => {
    const run = await seed({ firstRun: true });
    await deliverChannel(args(run.id));
    expect(fakes.resend.emails[0].body.subject).toBe("Pipeline review: Weekly EMEA — health 75");
    expect(fakes.resend.emails[0].body.text).toContain("Issues since last run: 5 new, 0 resolved");
  });
});

describe("Slack", () => {
  const slackArgs = (runId: string, over: Partial<DeliverArgs> = {}) => args(runId, { channel: "SLACK", ...over });

  it("posts the exact Block Kit message to the schedule's webhook, once per Inngest run", async () => {
    const run = await seed();
    const result = await deliverChannel(slackArgs(run.id));

    expect(result.status).toBe("sent");
    const { messages } = fakes.slack;
    expect(messages).toHaveLength(1);
    expect(messages[0].path).toBe(HOOK_PATH);
    expect(messages[0].body).toEqual(slackMessageFor(expectedSummary(run.analysisId!)));
    expect(JSON.stringify(messages[0].body.blocks)).toContain("Health 75/100");

    const row = await deliveryRow(result.deliveryId);
    expect(row).toMatchObject({ channel: "SLACK", status: "SENT", attempts: 1, target: maskUrl(fakes.slack.webhookUrl(HOOK_PATH)) });
    expect(row.target).not.toContain("hooksecret");
    expect(row.payload).toEqual(messages[0].body);

    expect(await deliverChannel(slackArgs(run.id, { attempt: 1 }))).toEqual(result);
    expect(fakes.slack.requestCount).toBe(1);
  });

  it("a revoked webhook (404 no_service) fails at once: one request, no retry, no throw", async () => {
    const run = await seed();
    fakes.slack.revoke(HOOK_PATH);

    const result = await deliverChannel(slackArgs(run.id));
    expect(result.status).toBe("failed");
    expect(fakes.slack.requestCount).toBe(1);
    const row = await deliveryRow(result.deliveryId);
    expect(row).toMatchObject({ status: "FAILED", errorCode: "slack_webhook_revoked", attempts: 1 });
    expect(row.errorMessage).toContain("no_service");
    expect(row.errorMessage).not.toContain("hooksecret");

    await deliverChannel(slackArgs(run.id, { attempt: 1 }));
    expect(fakes.slack.requestCount).toBe(1);
  });

  it("a Slack outage then recovery: retried, posted once", async () => {
    const run = await seed();
    fakes.slack.failNext(1, 503, "service_unavailable");

    await expect(deliverChannel(slackArgs(run.id))).rejects.toMatchObject({ code: "http_5xx" });
    const result = await deliverChannel(slackArgs(run.id, { attempt: 1 }));
    expect(result.status).toBe("sent");
    expect(fakes.slack.messages).toHaveLength(1);
    expect(await deliveryRow(result.deliveryId)).toMatchObject({ status: "SENT", attempts: 2 });
  });

  it("SSRF at send time: a stored loopback webhook is refused without the test-only setting", async () => {
    setEnv({ ALLOW_LOOPBACK_DELIVERY: undefined });
    const run = await seed();

    const result = await deliverChannel(slackArgs(run.id));
    expect(result.status).toBe("failed");
    expect(await deliveryRow(result.deliveryId)).toMatchObject({
      status: "FAILED",
      errorCode: "unsafe_destination",
      attempts: 1,
      target: maskUrl(fakes.slack.webhookUrl(HOOK_PATH)),
    });
    expect(fakes.slack.requestCount).toBe(0);
  });

  it("a stored webhook that is not a Slack URL is refused even with loopback allowed", async () => {
    const run = await seed({ webhook: "https://169.254.169.254/services/T0001/B0001/x" });
    const result = await deliverChannel(slackArgs(run.id));
    expect(result.status).toBe("failed");
    expect(await deliveryRow(result.deliveryId)).toMatchObject({ errorCode: "unsafe_destination" });
  });

  it("no webhook configured: skipped (with or without a Resend key)", async () => {
    setEnv({ RESEND_API_KEY: undefined });
    const run = await seed({ webhook: null });
    const result = await deliverChannel(slackArgs(run.id));
    expect(result.status).toBe("skipped");
    expect(await deliveryRow(result.deliveryId)).toMatchObject({ status: "SKIPPED", errorCode: "no_webhook" });
    expect(fakes.slack.requestCount).toBe(0);
  });
});

describe("a run deleted meanwhile", () => {
  it("is the run being gone: a non-retriable RunGoneError, and nothing is sent", async () => {
    const run = await seed();
    await systemDb().analysis.delete({ where: { id: run.analysisId! } });
    await systemDb().reviewRun.delete({ where: { id: run.id } });
    const delivering = deliverChannel(args(run.id));
    await expect(delivering).rejects.toBeInstanceOf(RunGoneError);
    await expect(delivering).rejects.toBeInstanceOf(NonRetriableError);
    expect(fakes.resend.emails).toHaveLength(0);
  });
});

// Email without a Resend key (dev outbox, production refusal), the /dev/outbox pages of the built
// app, and the delivery rate computed from the Delivery rows.
import { describe, expect, it } from "vitest";
import { deliverChannel } from "@/lib/delivery/deliver";
import { renderReviewEmail } from "@/lib/delivery/email-template";
import { getOutboxMessage, listOutbox } from "@/lib/delivery/outbox";
import { deliveryStats } from "@/lib/delivery/stats";
import { api } from "../support/api";
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
const seed = () => seedRun(fakes.slack);

describe("email without RESEND_API_KEY", () => {
  it("local default: the email goes to the dev outbox, which lists and renders it", async () => {
    setEnv({ RESEND_API_KEY: undefined });
    const run = await seed();
    const result = await deliverChannel(args(run.id));

    expect(result.status).toBe("sent");
    expect(fakes.resend.requests).toHaveLength(0);
    const row = await deliveryRow(result.deliveryId);
    expect(row).toMatchObject({ status: "SENT", providerMessageId: `outbox:${row.id}`, attempts: 1 });

    expect(await listOutbox(OWNER)).toEqual([
      expect.objectContaining({ id: row.id, runId: run.id, channel: "email", status: "sent", via: "outbox", title: SUBJECT, target: "a•••@acme.com (+2)" }),
    ]);
    const message = await getOutboxMessage(OWNER, row.id);
    const rendered = await renderReviewEmail(expectedSummary(run.analysisId!));
    expect(message).toMatchObject({ channel: "email", email: { from: FROM, to: RECIPIENTS, subject: SUBJECT, html: rendered.html, text: rendered.text } });

    // Another tenant sees neither the list entry nor the message.
    expect(await listOutbox("org_other")).toEqual([]);
    await expect(getOutboxMessage("org_other", row.id)).rejects.toMatchObject({ code: "not_found" }); // answered as 404 by lib/http.ts
  });

  it("production: recorded as failed with email_not_configured, the review goes on", async () => {
    setEnv({
      NODE_ENV: "production",
      RESEND_API_KEY: undefined,
      ALLOW_LOOPBACK_DELIVERY: undefined,
      DEMO_CRM_FAULTS: undefined,
      // Production refuses to start without these; any well-formed value will do here.
      NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY: "pk_test_delivery",
      CLERK_SECRET_KEY: "sk_test_delivery",
      CLERK_JWT_KEY: undefined,
      INNGEST_SIGNING_KEY: "signkey-test-delivery",
      INNGEST_EVENT_KEY: "event-key-delivery",
    });
    const run = await seed();
    const result = await deliverChannel(args(run.id));

    expect(result.status).toBe("failed");
    const row = await deliveryRow(result.deliveryId);
    expect(row).toMatchObject({ status: "FAILED", errorCode: "email_not_configured", attempts: 1, target: "a•••@acme.com (+2)" });
    expect(row.errorMessage).toContain("RESEND_API_KEY");
    expect(fakes.resend.requests).toHaveLength(0);
  });
});

describe("/dev/outbox pages (built app)", () => {
  const member = { userId: "user_outbox", orgId: OWNER };

  it("lists the tenant's messages and renders an email sandboxed and a Slack message as text", async () => {
    setEnv({ RESEND_API_KEY: undefined });
    const run = await seed();
    const email = await deliverChannel(args(run.id));
    const posted = await deliverChannel(args(run.id, { channel: "SLACK" }));
    // Local default: Slack waits in the outbox as well; nothing reached the webhook.
    expect(await deliveryRow(posted.deliveryId)).toMatchObject({ status: "SENT", providerMessageId: `outbox:${posted.deliveryId}` });
    expect(fakes.slack.messages).toHaveLength(0);

    const list = await api("GET", "/dev/outbox", member);
    expect(list.status).toBe(200);
    expect(list.body).toContain(SUBJECT);
    expect(list.body).toContain(`href="/dev/outbox/${email.deliveryId}"`);
    expect(list.body).toContain(`href="/dev/outbox/${posted.deliveryId}"`);
    expect(list.body).toContain("kept in the outbox");
    expect(list.body).not.toContain("posted to Slack");

    const emailPage = await api("GET", `/dev/outbox/${email.deliveryId}`, member);
    expect(emailPage.status).toBe(200);
    // The email's HTML sits escaped inside srcDoc of a fully sandboxed iframe.
    const iframe = /<iframe[^>]*sandbox=""[^>]*srcDoc="([^"]*)"/.exec(emailPage.body);
    expect(iframe?.[1]).toContain(`${APP_URL}/analysis/${run.analysisId}`);
    expect(iframe?.[1]).toContain("&lt;html");
    expect(emailPage.body).toContain(RECIPIENTS.join(", "));

    const slackPage = await api("GET", `/dev/outbox/${posted.deliveryId}`, member);
    expect(slackPage.status).toBe(200);
    expect(slackPage.body).toContain("Health 75/100");
    expect(slackPage.body).not.toContain(HOOK_PATH);

    const stranger = await api("GET", `/dev/outbox/${email.deliveryId}`, { userId: "user_stranger" });
    expect(stranger.status).toBe(404);
    expect(stranger.body).not.toContain("Weekly EMEA");
  });
});

describe("delivery rate", () => {
  it("counts sent / (sent + failed) per owner; skipped and pending count for neither", async () => {
    const since = new Date(Date.now() - 60_000);
    const run = await seed();
    const second = await seed();
    await deliverChannel(args(run.id)); // email sent
    fakes.slack.revoke(HOOK_PATH);
    await deliverChannel(args(run.id, { channel: "SLACK" })); // slack failed
    await deliverChannel(args(run.id, { inngestRunId: "inngest-run-2" })); // email skipped (replay: already sent)
    await deliverChannel(args(second.id)); // email sent
    fakes.resend.failNext(1, 500);
    await expect(deliverChannel(args(second.id, { channel: "EMAIL", inngestRunId: "inngest-run-3" }))).resolves.toMatchObject({ status: "skipped" }); // already sent
    const third = await seed();
    await expect(deliverChannel(args(third.id))).rejects.toThrow(); // pending

    const stats = await deliveryStats(OWNER, since);
    expect(stats).toMatchObject({ sent: 2, failed: 1, skipped: 2, pending: 1 });
    expect(stats.rate).toBeCloseTo(2 / 3);
    expect(stats.byChannel.email).toMatchObject({ sent: 2, failed: 0, pending: 1, rate: 1 });
    expect(stats.byChannel.slack).toMatchObject({ sent: 0, failed: 1, rate: 0 });
    expect((await deliveryStats("org_other", since)).rate).toBeNull();
  });
});

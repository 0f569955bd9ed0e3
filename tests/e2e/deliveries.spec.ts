import { expect, test } from "@playwright/test";
import { encrypt } from "@/lib/crypto";
import { sql } from "../support/sql";
import { signIn, uniqueUser } from "./helpers";

// Issue #6 end to end: Run now delivers by email (fake Resend) and Slack (fake webhook), exactly once
// each, and the run page lists both deliveries.

const ADMIN = `http://127.0.0.1:${process.env.FAKE_DELIVERY_ADMIN_PORT ?? 8303}`;
const SLACK_PORT = process.env.FAKE_SLACK_PORT ?? 8302;

type Email = { idempotencyKey: string; body: { to: string[]; subject: string; html: string } };
type SlackPost = { path: string; body: { text: string } };

test("Run now emails and Slacks the summary once each; the run page lists the deliveries", async ({ page }) => {
  const user = uniqueUser("user_deliv");
  await signIn(page, user);
  const name = `Deliveries ${user}`;
  const conn = ((await (await page.request.get("/api/crm-connections")).json()) as { data: { id: string }[] }).data[0]!.id;
  const created = await page.request.post("/api/scheduled-reviews", {
    data: {
      name, crm_connection_id: conn, schedule: "0 6 * * 1", timezone: "UTC",
      delivery_channels: ["email", "slack"], email_recipients: ["ops@example.com", "cro@example.com"],
      slack_webhook_url: "https://hooks.slack.com/services/T0E2E/B0E2E/placeholder",
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const scheduleId = ((await created.json()) as { id: string }).id;
  // The API only accepts hooks.slack.com; the test stack (ALLOW_LOOPBACK_DELIVERY=1) may post to the
  // loopback fake, so the stored (encrypted) URL is swapped underneath the API.
  const hookPath = `/services/T0E2E/B0E2E/${user}`;
  await sql(`UPDATE "ScheduledReview" SET "slackWebhookEncrypted" = $1 WHERE id = $2`, [
    encrypt(`http://127.0.0.1:${SLACK_PORT}${hookPath}`),
    scheduleId,
  ]);

  await page.goto(`/schedule/${scheduleId}/history`);
  await page.getByRole("button", { name: /Run now/ }).click();
  await expect(page.getByRole("status").filter({ hasText: "Review started!" })).toBeVisible();
  await expect(page.getByTestId("run-row").first().getByTestId("run-status")).toHaveText("✓ Completed", { timeout: 30_000 });

  await page.getByTestId("run-row").first().getByRole("link").first().click();
  await expect(page).toHaveURL(/\/runs\//);
  const rows = page.getByTestId("deliveries").locator("tbody tr");
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: /email/i })).toContainText("Sent");
  await expect(rows.filter({ hasText: /slack/i })).toContainText("Sent");
  await expect(page.getByTestId("deliveries")).not.toContainText(user); // the webhook secret stays masked

  const emails = ((await (await page.request.get(`${ADMIN}/emails`)).json()) as Email[]).filter((e) => e.body.subject.includes(name));
  expect(emails).toHaveLength(1);
  expect(emails[0]!.body.to).toEqual(["ops@example.com", "cro@example.com"]);
  expect(emails[0]!.body.subject).toMatch(new RegExp(`^Pipeline review: ${name} — health \\d+$`));
  expect(emails[0]!.body.html).toContain("/analysis/");
  const posts = ((await (await page.request.get(`${ADMIN}/slack`)).json()) as SlackPost[]).filter((p) => p.path === hookPath);
  expect(posts).toHaveLength(1);
  expect(posts[0]!.body.text).toContain(name);
});

import { expect, test, type Page } from "@playwright/test";
import { insertDemoConnection } from "../support/sql";
import { signIn, uniqueUser } from "./helpers";

// Alerts in the browser: configure the settings (an email recipient and a webhook on the fake
// receiver, whose secret is shown once), send a test alert and read each channel's result, see an
// alert open after failed runs, acknowledge it.

const ADMIN = `http://127.0.0.1:${process.env.FAKE_DELIVERY_ADMIN_PORT ?? 8303}`;
const WEBHOOK = `http://127.0.0.1:${process.env.FAKE_WEBHOOK_PORT ?? 8306}`;
type Received = { path: string; verified: boolean | null; body: { type: string } | null };

async function failedRun(page: Page, scheduleId: string) {
  const res = await page.request.post(`/api/scheduled-reviews/${scheduleId}/run-now`);
  expect(res.status(), await res.text()).toBe(202);
  const { run } = (await res.json()) as { run: { id: string } };
  await expect.poll(async () => ((await (await page.request.get(`/api/runs/${run.id}`)).json()) as { status: string }).status, { timeout: 30_000 }).toBe("failed");
}

test("configure alerts, send a test alert, see an alert open after failures and acknowledge it", async ({ page }) => {
  const user = uniqueUser("alerts_e2e");
  const hookPath = `/hooks/${user}`;
  await signIn(page, user);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Alert settings" }).click();
  await expect(page.getByRole("heading", { name: "Alert settings" })).toBeVisible();
  await page.getByLabel("Email recipients").fill(`${user}@example.com`);
  await page.getByLabel("Add a webhook URL (https)").fill(`${WEBHOOK}${hookPath}`);
  await page.getByLabel("Failed runs in a row runs").fill("2");
  await page.getByRole("button", { name: "Save settings" }).click();
  const secret = await page.getByTestId("webhook-secret").textContent();
  expect(secret).toMatch(/^whsec_/);
  await expect(page.getByText(/^http:\/\/127\.0\.0\.1:\d+\/hooks\/••••/)).toBeVisible(); // saved, masked
  // The receiver is given the secret the page showed once, as its owner would configure it.
  await fetch(`${ADMIN}/webhooks/secret?path=${encodeURIComponent(hookPath)}&secret=${encodeURIComponent(secret!)}`, { method: "POST" });

  await page.getByRole("button", { name: "Send test alert" }).click();
  const results = page.getByTestId("test-result");
  await expect(results).toHaveCount(2);
  await expect(results.filter({ hasText: /^email/ })).toContainText("sent");
  await expect(results.filter({ hasText: /^webhook/ })).toContainText("sent");
  const received = ((await (await fetch(`${ADMIN}/webhooks`)).json()) as Received[]).filter((r) => r.path === hookPath);
  expect(received).toMatchObject([{ verified: true, body: { type: "alert.test" } }]);

  const connection = await insertDemoConnection(user, "demo://?fail=auth_expired");
  const res = await page.request.post("/api/scheduled-reviews", {
    data: { name: "Alerting pipeline e2e", crm_connection_id: connection, schedule: "0 6 * * 1", timezone: "UTC", delivery_channels: [] },
  });
  expect(res.status(), await res.text()).toBe(201);
  const scheduleId = ((await res.json()) as { id: string }).id;
  await failedRun(page, scheduleId);
  await failedRun(page, scheduleId);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Alerts", exact: true }).click();
  const alert = page.getByTestId("alert").filter({ hasText: "Alerting pipeline e2e: 2 failed runs in a row" });
  await expect(alert).toBeVisible({ timeout: 30_000 });
  await expect(alert.getByText("Critical", { exact: true })).toBeVisible();
  await expect(alert.getByText("Open", { exact: true })).toBeVisible();
  await expect(alert.getByRole("link", { name: "schedule" })).toHaveAttribute("href", `/schedule/${scheduleId}`);

  await alert.getByRole("button", { name: "Acknowledge" }).click();
  await expect(alert.getByText("Acknowledged", { exact: true })).toBeVisible();
  await expect(alert.getByRole("button", { name: "Acknowledge" })).toHaveCount(0);
  await alert.getByText(/^Timeline/).click();
  await expect(alert.getByRole("list", { name: "Timeline" })).toContainText(`Acknowledged by ${user}`);
  await expect(alert.getByRole("list", { name: "Timeline" })).toContainText("Opened by webhook");

  const api = (await (await page.request.get("/api/alerts?status=open")).json()) as { alerts: { acknowledged_by: string | null }[] };
  expect(api.alerts).toMatchObject([{ acknowledged_by: user }]);
});

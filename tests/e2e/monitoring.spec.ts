import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { sql } from "../support/sql";
import { signIn, uniqueUser } from "./helpers";

// /monitoring in a browser: every panel with its empty state for a new workspace; then a schedule
// whose last hours were never run shows NEEDS_ATTENTION, Repair queues its missing slots, they
// complete, and the page reads HEALTHY with the runs in its numbers and charts.

const SCREENS = "artifacts/screens";
fs.mkdirSync(SCREENS, { recursive: true });
const panel = (page: Page, title: string) => page.locator("section").filter({ has: page.getByRole("heading", { name: title, exact: true }) });

test("a new workspace: every panel renders its empty state", async ({ page }) => {
  await signIn(page, uniqueUser("mon_empty"));
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Monitoring" }).click();
  await expect(page.getByRole("heading", { name: "Monitoring", level: 1 })).toBeVisible();
  await expect(panel(page, "Overview")).toContainText("Success rate");
  await expect(panel(page, "Runs over time")).toContainText("No runs in this window yet");
  await expect(panel(page, "Failure trend")).toContainText("stable");
  await expect(panel(page, "Scheduler")).toContainText("consecutive failures");
  await expect(panel(page, "Scheduler").getByTestId("missed-while-down")).toContainText("No slot of yours was due");
  await expect(page.getByRole("figure", { name: "Dispatcher ticks per hour" })).toBeVisible();
  await expect(panel(page, "Coverage (last 24 h)")).toContainText("nothing was due");
  await expect(panel(page, "Coverage (last 24 h)").getByRole("button", { name: "Repair" })).toBeDisabled();
  await expect(panel(page, "Error groups")).toContainText("No failed runs in this window.");
  await expect(panel(page, "Schedules")).toContainText("No runs in this window.");
  await page.getByRole("link", { name: "7d" }).click();
  await expect(page).toHaveURL(/window=7d/);
  await expect(page.getByText("last 7d", { exact: false })).toBeVisible();
});

test("Repair from the coverage panel queues the missing slots, and they complete", async ({ page }) => {
  test.setTimeout(120_000);
  const user = uniqueUser("mon_repair");
  await signIn(page, user);
  const connections = (await (await page.request.get("/api/crm-connections")).json()) as { data: { id: string }[] };
  // Only the three past hours (not hourly): no new slot comes due while the test runs.
  const hours = [3, 2, 1].map((h) => new Date(Date.now() - h * 3_600_000).getUTCHours());
  const created = await page.request.post("/api/scheduled-reviews", {
    data: { name: "Hourly pipeline", crm_connection_id: connections.data[0]!.id, schedule: `0 ${hours.join(",")} * * *`, timezone: "UTC", delivery_channels: ["email"], email_recipients: ["ops@example.com"] },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  // The schedule has existed for 4 h and none of its three slots ran.
  await sql(`UPDATE "ScheduledReview" SET "createdAt" = now() - interval '4 hours', "timingChangedAt" = now() - interval '4 hours' WHERE id = $1`, [id]);

  await page.goto("/monitoring");
  const coverage = panel(page, "Coverage (last 24 h)");
  await expect(coverage).toContainText("NEEDS_ATTENTION");
  const missing = await coverage.locator("tbody tr").count();
  expect(missing).toBe(3);
  await coverage.getByRole("button", { name: "Repair" }).click();
  await expect(page.getByText(`Repair queued ${missing} runs`)).toBeVisible();

  await expect(async () => {
    await page.reload();
    await expect(panel(page, "Coverage (last 24 h)")).toContainText("100 %", { timeout: 1_000 });
  }).toPass({ timeout: 90_000 });
  await expect(panel(page, "Coverage (last 24 h)")).toContainText("HEALTHY");
  const runs = await sql<{ trigger: string; status: string }>(`SELECT trigger::text, status::text FROM "ReviewRun" WHERE "scheduledReviewId" = $1`, [id]);
  expect(runs).toHaveLength(missing);
  expect(runs.every((r) => r.trigger === "REPAIR" && r.status === "COMPLETED")).toBe(true);
  await expect(panel(page, "Overview")).toContainText("100.0 %");
  await expect(page.getByRole("figure", { name: "Runs per hour by status" })).toBeVisible();
  // The 90-day chart (daily aggregates + the runs kept): runs by status, duration percentiles, mean health.
  const long = page.getByTestId("long-window-chart");
  await expect(long.getByRole("figure", { name: "Runs per day by status" })).toBeVisible();
  await expect(long.getByRole("figure", { name: "Duration percentiles" })).toBeVisible();
  await expect(long.getByRole("figure", { name: "Mean health score over time" })).toBeVisible();
  await expect(panel(page, "Schedules")).toContainText("Hourly pipeline");
  await page.screenshot({ path: `${SCREENS}/monitoring.png`, fullPage: true });
});

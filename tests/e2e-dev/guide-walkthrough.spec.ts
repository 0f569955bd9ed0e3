import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { signIn, uniqueUser } from "../e2e/helpers";

// The monitoring guide's walkthrough, word for word, on the README's app command (`npm run dev`,
// started by playwright.dev.config.ts): "Go to /schedule, find your schedule, click Run Now, an alert
// confirms 'Review started!', check the email in 1-2 minutes; then the run history shows completed
// with metrics, analysis_id links to the full report, next scheduled run shows a future timestamp."

const SCREENS = "artifacts/screens";
fs.mkdirSync(SCREENS, { recursive: true });
const WIDTHS = [[1280, 900], [375, 812]] as const;
const NAME = "Weekly pipeline";
// next dev compiles each page on its first visit (many seconds on a small, shared machine).
const FIRST_VISIT = { timeout: 120_000 };

type Run = { id: string; status: string; deals_analyzed: number; health_score: number; issues_found: number; high_risk_deals: number; analysis_id: string };

async function getJson<T>(page: Page, path: string): Promise<T> {
  const res = await page.request.get(path);
  expect(res.status(), path).toBe(200);
  return (await res.json()) as T;
}

/** Each page at desktop and phone width (artifacts/screens, not committed). */
async function screens(page: Page, name: string) {
  await page.waitForLoadState("networkidle"); // client queries (charts, connections) have answered
  for (const [width, height] of WIDTHS) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(300); // layout settles (charts resize)
    await page.screenshot({ path: `${SCREENS}/guide-${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test("the guide's walkthrough: Run Now on the list -> Review started! -> completed with metrics -> the analysis -> the email -> a future next run", async ({ page }) => {
  const health = await getJson<{ executor: { reachable: boolean } }>(page, "/api/health");
  expect(health.executor.reachable).toBe(true);
  await signIn(page, uniqueUser("guide"), { plan: "team" });
  // "your schedule": a weekly review that emails its summary (local sign-up connected the Demo CRM).
  const conn = (await getJson<{ data: { id: string }[] }>(page, "/api/crm-connections")).data[0]!.id;
  const created = await page.request.post("/api/scheduled-reviews", {
    headers: { "Idempotency-Key": `guide-${Date.now()}` },
    data: { name: NAME, crm_connection_id: conn, schedule: "0 6 * * 1", timezone: "America/New_York", delivery_channels: ["email"], email_recipients: ["revops@example.com"] },
  });
  expect(created.status(), await created.text()).toBe(201);
  const scheduleId = ((await created.json()) as { id: string }).id;

  // "Go to /schedule, find your schedule, click Run Now"
  await page.goto("/schedule");
  await expect(page).toHaveTitle("Scheduled reviews · Revwatch");
  const row = page.getByTestId("schedule-row").filter({ hasText: NAME });
  await expect(row).toContainText("Never run");
  await row.getByRole("button", { name: /Run now/ }).click();
  // "an alert confirms 'Review started!'"
  await expect(page.getByRole("status").filter({ hasText: "Review started!" })).toBeVisible();

  // "the run history shows completed with metrics"
  await row.getByRole("link", { name: NAME }).click();
  await expect(page).toHaveURL(new RegExp(`/schedule/${scheduleId}$`), FIRST_VISIT);
  await page.getByRole("link", { name: "Run history" }).click();
  await expect(page).toHaveTitle(`Run history · ${NAME} · Revwatch`, FIRST_VISIT);
  const top = page.getByTestId("run-row").first();
  await expect(top.getByTestId("run-status")).toHaveText("✓ Completed", { timeout: 120_000 });
  const runId = (await top.getAttribute("data-run-id"))!;
  const run = await getJson<Run>(page, `/api/runs/${runId}`);
  expect(run).toMatchObject({ status: "completed", deals_analyzed: 120, analysis_id: expect.any(String) });
  // The row's metric cells (Deals, Health, Issues, High-risk) are the run's.
  const cells = top.getByRole("cell");
  await expect(cells.nth(5)).toHaveText(run.deals_analyzed.toLocaleString("en-US"));
  await expect(cells.nth(6)).toContainText(new RegExp(`^${run.health_score} \\(`));
  await expect(cells.nth(7)).toHaveText(run.issues_found.toLocaleString("en-US"));
  await expect(cells.nth(8)).toHaveText(run.high_risk_deals.toLocaleString("en-US"));

  // "analysis_id links to the full report": from the run to its analysis.
  await top.getByRole("link", { name: `Run ${runId}` }).click();
  await expect(page).toHaveURL(new RegExp(`/runs/${runId}$`), FIRST_VISIT);
  await expect(page).toHaveTitle(`Run · ${NAME} · Revwatch`);
  await expect(page.getByTestId("metric-deals")).toHaveText("120");
  await page.getByRole("link", { name: /Open the analysis/ }).click();
  await expect(page).toHaveURL(new RegExp(`/analysis/${run.analysis_id}$`), FIRST_VISIT);
  await expect(page).toHaveTitle(`Analysis · ${NAME} · Revwatch`);
  await expect(page.getByTestId("health-score")).toContainText(String(run.health_score));
  await expect(page.getByTestId("finding-row").first()).toBeVisible();

  // "check the email": the dev outbox holds it (no RESEND_API_KEY on the app command).
  await page.getByRole("link", { name: "Outbox" }).click();
  await expect(page.getByTestId("outbox-row").filter({ hasText: NAME }).first()).toBeVisible(FIRST_VISIT);
  const email = page.getByTestId("outbox-row").filter({ hasText: NAME }).first();
  await expect(email).toContainText(`Pipeline review: ${NAME} — health ${run.health_score}`);
  await expect(email).toContainText("r•••@example.com"); // the outbox masks recipients
  await expect(email).toContainText("sent");

  // "next scheduled run shows a future timestamp": on the schedule, its checklist and the upcoming list.
  const schedule = await getJson<{ next_run_at: string }>(page, `/api/scheduled-reviews/${scheduleId}`);
  expect(Date.parse(schedule.next_run_at)).toBeGreaterThan(Date.now());
  await page.goto(`/schedule/${scheduleId}`);
  await expect(page.getByTestId("schedule-zone-time")).toContainText("06:00");
  await expect(page.getByTestId("schedule-zone-time")).toContainText("America/New_York");
  for (const key of ["executor", "last_run", "email", "metrics", "next_run"])
    await expect(page.getByTestId(`check-${key}`), key).toHaveAttribute("data-state", "ok");
  await expect(page.getByTestId("check-metrics").getByRole("link", { name: "Open the analysis" })).toHaveAttribute("href", `/analysis/${run.analysis_id}`);
  await page.goto("/schedule");
  await expect(row).toContainText("Completed");
  await expect(page.getByTestId("upcoming-run").filter({ hasText: NAME }).first()).toContainText("06:00");

  // The five pages, at 1280 and 375 px.
  await screens(page, "list");
  await page.goto(`/schedule/${scheduleId}`);
  await screens(page, "schedule");
  await page.goto(`/schedule/${scheduleId}/history`);
  await expect(page.getByTestId("run-row").first()).toBeVisible();
  await screens(page, "history");
  await page.goto(`/runs/${runId}`);
  await screens(page, "run");
  await page.goto(`/analysis/${run.analysis_id}`);
  await screens(page, "analysis");
});

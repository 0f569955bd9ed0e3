import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { insertDemoConnection } from "../support/sql";
import { signIn, uniqueUser } from "./helpers";

// Run history in a real browser: Run now, the badge moving through its states without a reload,
// the run and analysis pages agreeing with the API, and a failed run with its message.

const SCREENS = "artifacts/screens";
fs.mkdirSync(SCREENS, { recursive: true });
const shot = (page: Page, name: string) => page.screenshot({ path: `${SCREENS}/${name}.png`, fullPage: true });
const count = (n: number) => n.toLocaleString("en-US");

type Run = { id: string; status: string; deals_analyzed: number; health_score: number; issues_found: number; high_risk_deals: number; analysis_id: string; retry_count: number; error_code: string | null; error_message: string | null; deliveries: unknown[] };
type Analysis = { health_score: number; deals_analyzed: number; issues_found: number; high_risk_deals: number; findings: { amount: number | null }[]; change: { new_issues_count: number; resolved_issues_count: number } | null };

async function getJson<T>(page: Page, path: string): Promise<T> {
  const res = await page.request.get(path);
  expect(res.status(), path).toBe(200);
  return (await res.json()) as T;
}

async function createSchedule(page: Page, name: string, crmConnectionId?: string): Promise<string> {
  const connection = crmConnectionId ?? (await getJson<{ data: { id: string }[] }>(page, "/api/crm-connections")).data[0]!.id;
  const res = await page.request.post("/api/scheduled-reviews", {
    data: { name, crm_connection_id: connection, schedule: "0 6 * * 1", timezone: "UTC", delivery_channels: ["email"], email_recipients: ["ops@example.com"] },
  });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/** Records every (run id, badge text) the top row shows, and marks the document to detect reloads. */
async function recordTopBadge(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as { __badges: string[]; __sameDocument: boolean };
    w.__sameDocument = true;
    w.__badges = [];
    const read = () => {
      const row = document.querySelector('[data-testid="run-row"]');
      const text = row?.querySelector('[data-testid="run-status"]')?.textContent;
      const entry = row && text ? `${row.getAttribute("data-run-id")}|${text}` : null;
      if (entry && w.__badges.at(-1) !== entry) w.__badges.push(entry);
    };
    read();
    new MutationObserver(read).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

async function badgesOf(page: Page, runId: string): Promise<string[]> {
  const w = await page.evaluate(() => {
    const g = window as unknown as { __badges?: string[]; __sameDocument?: boolean };
    return { badges: g.__badges ?? [], same: g.__sameDocument === true };
  });
  expect(w.same, "the page was not reloaded").toBe(true);
  return w.badges.filter((b) => b.startsWith(`${runId}|`)).map((b) => b.split("|")[1]!);
}

const topRow = (page: Page) => page.getByTestId("run-row").first();
const toast = (page: Page, text: string) => page.getByRole("status").filter({ hasText: text });

test("Run now: Queued -> Running -> Completed without a reload; run and analysis pages match the API", async ({ page }) => {
  const user = uniqueUser("hist_e2e");
  await signIn(page, user);
  // A slow Demo CRM (2.5 s per page, two pages) keeps the run visibly "running" in its analyse step.
  const slowCrm = await insertDemoConnection(user, "demo://?seed=42&size=120&latency_ms=2500", "Demo CRM (slow)");
  const scheduleId = await createSchedule(page, "Pipeline history e2e", slowCrm);
  await page.goto(`/schedule/${scheduleId}/history`);
  await expect(page.getByRole("heading", { name: "Run history" })).toBeVisible();
  await expect(page.getByText("No runs yet")).toBeVisible();
  await recordTopBadge(page);

  await page.getByRole("button", { name: "Run now" }).click();
  await expect(toast(page, "Review started!")).toBeVisible();
  await expect(page.getByTestId("run-row")).toHaveCount(1);
  await expect(topRow(page).getByTestId("run-status")).toHaveText("⏱ Running");
  const runId = (await topRow(page).getAttribute("data-run-id")) ?? "";
  await expect(topRow(page).getByTestId("run-status")).toHaveText("✓ Completed", { timeout: 30_000 });
  expect(await badgesOf(page, runId)).toEqual(["Queued", "⏱ Running", "✓ Completed"]);

  // The row shows the API's numbers; a second run goes on top of the first.
  const run = await getJson<Run>(page, `/api/runs/${runId}`);
  expect(run).toMatchObject({ status: "completed", deals_analyzed: 120 });
  await expect(topRow(page)).toContainText(count(run.issues_found));
  await page.getByRole("button", { name: "Run now" }).click();
  await expect(page.getByTestId("run-row")).toHaveCount(2);
  await expect(topRow(page).getByTestId("run-status")).toHaveText("✓ Completed", { timeout: 30_000 });
  const secondId = (await topRow(page).getAttribute("data-run-id")) ?? "";
  expect(secondId).not.toBe(runId);
  expect(await badgesOf(page, secondId)).toContain("Queued");
  expect((await badgesOf(page, secondId)).at(-1)).toBe("✓ Completed");
  await expect(page.getByTestId("schedule-charts").locator("figure")).toHaveCount(2);
  await shot(page, "history");

  // The status filter narrows the list and lands in the URL.
  await page.getByLabel("Status").selectOption("failed");
  await expect(page).toHaveURL(/status=failed/);
  await expect(page.getByText("No failed runs")).toBeVisible();
  await page.getByLabel("Status").selectOption("");

  // The run page: timeline, metrics and links, equal to GET /api/runs/{id}.
  const second = await getJson<Run>(page, `/api/runs/${secondId}`);
  await page.locator(`[data-run-id="${secondId}"] a`).first().click();
  await expect(page).toHaveURL(new RegExp(`/runs/${secondId}$`));
  await expect(page.getByTestId("run-timeline").getByRole("listitem")).toHaveText([/Queued/, /Running/, /Completed/]);
  await expect(page.getByTestId("metric-deals")).toHaveText(count(second.deals_analyzed));
  await expect(page.getByTestId("metric-health")).toContainText(new RegExp(`^${second.health_score}\\b`));
  await expect(page.getByTestId("metric-issues")).toHaveText(count(second.issues_found));
  await expect(page.getByTestId("metric-high-risk")).toHaveText(count(second.high_risk_deals));
  await expect(page.getByTestId("metric-retries")).toHaveText(String(second.retry_count));
  // The stack runs on the local executor: its inspector is where a run opens.
  await expect(page.getByRole("link", { name: /Open in Inngest/ })).toHaveAttribute("href", /\/dev\/executor\?run=/);
  await expect(page.getByTestId("deliveries").locator("tbody tr")).toHaveCount(second.deliveries.length);
  await shot(page, "run");

  // The analysis page, equal to GET /api/analysis/{id}; the second run compares with the first.
  const analysis = await getJson<Analysis>(page, `/api/analysis/${second.analysis_id}`);
  await page.getByRole("link", { name: "Open the analysis" }).click();
  await expect(page).toHaveURL(new RegExp(`/analysis/${second.analysis_id}$`));
  await expect(page.getByTestId("health-score")).toContainText(new RegExp(`^${analysis.health_score}\\b`));
  await expect(page.getByTestId("metric-deals")).toHaveText(count(analysis.deals_analyzed));
  await expect(page.getByTestId("metric-issues")).toHaveText(count(analysis.issues_found));
  await expect(page.getByTestId("metric-high-risk")).toHaveText(count(analysis.high_risk_deals));
  expect(analysis.change).not.toBeNull();
  await expect(page.getByTestId("new-issues")).toHaveText(String(analysis.change!.new_issues_count));
  await expect(page.getByTestId("resolved-issues")).toHaveText(String(analysis.change!.resolved_issues_count));
  await expect(page.getByTestId("finding-row")).toHaveCount(Math.min(50, analysis.findings.length));
  await shot(page, "analysis");
  if (analysis.findings.length > 50) await page.getByRole("button", { name: `Show all ${analysis.findings.length} findings` }).click();
  await expect(page.getByTestId("finding-row")).toHaveCount(analysis.findings.length);

  // Sorting by a header (a button: keyboard reachable) puts the largest amount first.
  const largest = Math.max(...analysis.findings.map((f) => f.amount ?? -Infinity));
  await page.getByRole("button", { name: /^Amount/ }).click();
  await expect(page.getByRole("columnheader", { name: /Amount/ })).toHaveAttribute("aria-sort", "descending");
  await expect(page.getByTestId("finding-row").first().locator("td").nth(1)).toHaveText(largest.toLocaleString("en-US", { maximumFractionDigits: 0 }));

  // The schedule page carries the same charts.
  await page.goto(`/schedule/${scheduleId}`);
  await expect(page.getByTestId("schedule-charts").locator("figure")).toHaveCount(2);

  // At 375 px no page scrolls sideways: the wide tables scroll inside their own region.
  await page.setViewportSize({ width: 375, height: 800 });
  for (const path of [`/analysis/${second.analysis_id}`, `/runs/${secondId}`, `/schedule/${scheduleId}/history`]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(375);
  }
  await expect(topRow(page)).toBeVisible();
  await shot(page, "history-375");
});

test("a run whose CRM token expired shows ✗ Failed with its message", async ({ page }) => {
  const user = uniqueUser("hist_fail");
  await signIn(page, user);
  const connection = await insertDemoConnection(user, "demo://?fail=auth_expired");
  const scheduleId = await createSchedule(page, "Expired CRM e2e", connection);
  await page.goto(`/schedule/${scheduleId}/history`);
  await page.getByRole("button", { name: "Run now" }).click();
  await expect(toast(page, "Review started!")).toBeVisible();
  await expect(topRow(page).getByTestId("run-status")).toHaveText("✗ Failed", { timeout: 30_000 });

  const runId = (await topRow(page).getAttribute("data-run-id")) ?? "";
  const run = await getJson<Run>(page, `/api/runs/${runId}`);
  expect(run.status).toBe("failed");
  expect(run.error_message).toContain("access token expired");
  await expect(topRow(page).getByTestId("run-error")).toHaveText(run.error_message!);
  await shot(page, "history-failed");

  await page.locator(`[data-run-id="${runId}"] a`).first().click();
  await expect(page.getByTestId("run-error")).toContainText(run.error_message!);
  if (run.error_code) await expect(page.getByTestId("run-error")).toContainText(run.error_code);
  await expect(page.getByTestId("run-timeline").getByRole("listitem").last()).toHaveText(/Failed/);
  await shot(page, "run-failed");
});

import { randomUUID } from "node:crypto";
import { expect, test, type Page, type Route } from "@playwright/test";
import { sql } from "../support/sql";
import { signIn, uniqueUser } from "./helpers";

// The rough edges a new user hit following the monitoring guide (issue #18): Enter in the zone field,
// a double submit, lists that stayed stale after a run-now that failed at once, the missing favicon.

const toast = (page: Page, text: string | RegExp) => page.getByRole("status").filter({ hasText: text });

async function createSchedule(page: Page, name: string): Promise<string> {
  const conn = ((await (await page.request.get("/api/crm-connections")).json()) as { data: { id: string }[] }).data[0]!.id;
  const res = await page.request.post("/api/scheduled-reviews", {
    data: { name, crm_connection_id: conn, schedule: "0 6 * * 1", timezone: "UTC", delivery_channels: [] },
  });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/**
 * Run-now as the server answers it when Inngest cannot take the event: the run row is already failed
 * (lib/runs/hand-over.ts) and the answer is 503 executor_unreachable. The test stack's executor is
 * always up, so the row is written here and the answer given by the route.
 */
async function failAtOnce(route: Route, scheduleId: string, ownerId: string) {
  const runId = `run_${randomUUID().replaceAll("-", "")}`;
  await sql(
    `INSERT INTO "ReviewRun" (id, "scheduledReviewId", "ownerId", trigger, "scheduledFor", status, "completedAt", "errorCode", "errorMessage", "updatedAt")
     VALUES ($1, $2, $3, 'MANUAL', now(), 'FAILED', now(), 'executor_unreachable', 'Inngest could not be reached', now())`,
    [runId, scheduleId, ownerId],
  );
  await route.fulfill({
    status: 503,
    contentType: "application/json",
    body: JSON.stringify({ error: { code: "executor_unreachable", message: "The background executor (Inngest) could not be reached, so the run was marked failed. Try again shortly.", details: { run_id: runId } } }),
  });
}

test("Enter in the time zone field picks the suggestion and never submits the form; spaces can be typed", async ({ page }) => {
  await signIn(page, uniqueUser("edge_enter"));
  await page.goto("/schedule/new");
  const posts: string[] = [];
  page.on("request", (r) => { if (r.method() === "POST" && r.url().endsWith("/api/scheduled-reviews")) posts.push(r.url()); });
  await page.getByLabel("Name", { exact: true }).fill("Enter edge");
  const zone = page.getByRole("combobox", { name: "Time zone" });

  // Typed key by key, as a user does: "New York" keeps its space and finds America/New_York.
  await zone.fill("");
  await zone.pressSequentially("new york");
  await expect(page.getByRole("option", { name: /America\/New_York/ })).toBeVisible();
  await zone.press("Enter");
  await expect(zone).toHaveValue("America/New_York");

  // The list closed (Escape) over a half-typed zone: Enter still picks, the form is not sent.
  await zone.fill("Calcutta");
  await zone.press("Escape");
  await expect(page.getByRole("listbox", { name: "Zone suggestions" })).toBeHidden();
  await zone.press("Enter");
  await expect(zone).toHaveValue("Asia/Kolkata");
  await zone.press("Enter"); // a stored name: nothing to pick, and still no submit
  await page.waitForTimeout(500);
  expect(posts).toEqual([]);
  await expect(page).toHaveURL(/\/schedule\/new$/);
  await expect(page.getByTestId("form-errors")).toHaveCount(0);
});

test("a double submit creates one schedule: the form is disabled while saving and the create carries an Idempotency-Key", async ({ page }) => {
  await signIn(page, uniqueUser("edge_double"));
  const keys: (string | null)[] = [];
  // A slow network: the request stays in flight long enough to try again.
  await page.route("**/api/scheduled-reviews", async (route) => {
    if (route.request().method() !== "POST") return route.continue();
    keys.push(route.request().headers()["idempotency-key"] ?? null);
    await new Promise((r) => setTimeout(r, 1_500));
    await route.continue();
  });
  await page.goto("/schedule/new");
  const name = page.getByLabel("Name", { exact: true });
  await expect(page.getByLabel("CRM connection")).toHaveValue(/.+/);
  await name.fill("Double submit");
  await name.press("Enter");
  await expect(page.getByRole("button", { name: "Saving…" })).toBeDisabled();
  await expect(name).toBeDisabled();
  await expect(page.getByRole("combobox", { name: "Time zone" })).toBeDisabled();
  // A second submit in flight (a script, an impatient double Enter) is ignored.
  await page.locator("form").evaluate((f: HTMLFormElement) => f.requestSubmit());
  await expect(page).toHaveURL(/\/schedule\/(?!new$)[^/]+$/, { timeout: 30_000 });

  const list = (await (await page.request.get("/api/scheduled-reviews")).json()) as { data: { name: string }[] };
  expect(list.data.filter((s) => s.name === "Double submit")).toHaveLength(1);
  expect(keys).toHaveLength(1);
  expect(keys[0]).toMatch(/^[0-9a-f]{32}$/);
});

test("a run-now that fails at once shows up at once: the row's last run and the history, no reload", async ({ page }) => {
  const user = uniqueUser("edge_fail");
  await signIn(page, user);
  const scheduleId = await createSchedule(page, "Fails at once");
  await page.route(`**/api/scheduled-reviews/${scheduleId}/run-now`, (route) => failAtOnce(route, scheduleId, user));

  // On the list: Run Now on the row; the row's last run follows.
  await page.goto("/schedule");
  await page.evaluate(() => ((window as unknown as { __same: boolean }).__same = true));
  const row = page.getByTestId("schedule-row").filter({ hasText: "Fails at once" });
  await expect(row).toContainText("Never run");
  await row.getByRole("button", { name: "Run now: Fails at once" }).click();
  await expect(toast(page, "could not be reached")).toBeVisible();
  await expect(row).toContainText("Failed");
  await expect(row).not.toContainText("Never run");

  // On the history page: not "No runs yet" until a reload.
  await page.goto(`/schedule/${scheduleId}/history`);
  await page.evaluate(() => ((window as unknown as { __same: boolean }).__same = true));
  await expect(page.getByTestId("run-row")).toHaveCount(1);
  await page.getByRole("button", { name: "Run now" }).click();
  await expect(toast(page, "could not be reached")).toBeVisible();
  await expect(page.getByTestId("run-row")).toHaveCount(2);
  await expect(page.getByText("No runs yet")).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __same?: boolean }).__same)).toBe(true);
});

test("favicon, app icon and manifest answer 200; titles say where you are", async ({ page }) => {
  for (const [path, type] of [["/favicon.ico", /icon/], ["/icon.svg", /svg/], ["/icon-192.png", /png/], ["/icon-512.png", /png/], ["/apple-touch-icon.png", /png/], ["/manifest.webmanifest", /manifest|json/]] as const) {
    const res = await page.request.get(path, { maxRedirects: 0 });
    expect(res.status(), path).toBe(200);
    expect(res.headers()["content-type"], path).toMatch(type);
  }
  const manifest = (await (await page.request.get("/manifest.webmanifest")).json()) as { name: string; icons: { src: string }[] };
  expect(manifest.name).toBe("Revwatch");
  for (const icon of manifest.icons) expect((await page.request.get(icon.src)).status(), icon.src).toBe(200);

  await page.goto("/sign-in");
  await expect(page).toHaveTitle("Sign in · Revwatch");
  await expect(page.locator('link[rel="icon"][href^="/favicon.ico"]')).toHaveCount(1);
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute("href", "/manifest.webmanifest");
  await signIn(page, uniqueUser("edge_titles"));
  const id = await createSchedule(page, "Weekly pipeline");
  await page.goto("/schedule");
  await expect(page).toHaveTitle("Scheduled reviews · Revwatch");
  await page.goto(`/schedule/${id}`);
  await expect(page).toHaveTitle("Weekly pipeline · Revwatch");
  await page.goto(`/schedule/${id}/history`);
  await expect(page).toHaveTitle("Run history · Weekly pipeline · Revwatch");
});

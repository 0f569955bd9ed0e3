import { expect, test, type Page } from "@playwright/test";
import { signIn, uniqueUser } from "./helpers";

// The browser's own zone is the form's default, so pin it.
test.use({ timezoneId: "America/New_York" });

const previewRuns = (page: Page) => page.getByTestId("preview-runs").getByRole("listitem");

/** The schedule as the API returns it to this browser session (cookie auth). */
async function apiSchedule(page: Page, id: string) {
  const res = await page.request.get(`/api/scheduled-reviews/${id}`);
  return { status: res.status(), body: res.ok() ? ((await res.json()) as { is_active: boolean; next_run_at: string | null; name: string; timezone: string }) : null };
}

async function apiScheduleCount(page: Page) {
  const res = await page.request.get("/api/scheduled-reviews");
  expect(res.status()).toBe(200);
  return ((await res.json()) as { data: unknown[] }).data.length;
}

test("create from a preset, edit, pause and resume, delete", async ({ page }) => {
  await signIn(page, uniqueUser("sched_e2e"), { plan: "team" });
  await expect(page.getByText("No scheduled reviews yet")).toBeVisible();
  await page.getByRole("link", { name: "Create your first schedule" }).click();
  await expect(page.getByRole("heading", { name: "New schedule" })).toBeVisible();

  // Create from a preset; the preview shows the next 5 runs before anything is saved.
  await page.getByLabel("Name", { exact: true }).fill("Monday pipeline");
  await expect(page.getByLabel("CRM connection")).toHaveValue(/.+/); // the Demo CRM, seeded at sign-up (local sign-in)
  await page.getByRole("button", { name: /Every Monday 06:00/ }).click();
  await expect(page.getByRole("button", { name: /Every Monday 06:00/ })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByLabel("Cron expression")).toHaveValue("0 6 * * 1");
  await expect(page.getByLabel("Time zone")).toHaveValue("America/New_York");
  await expect(page.getByTestId("preview-description")).toContainText("At 06:00 AM, only on Monday · America/New_York");
  await expect(previewRuns(page)).toHaveCount(5);
  for (const run of await previewRuns(page).all()) await expect(run).toContainText(/^Mon .* 06:00 E[SD]T UTC-0[45]:00/);

  await page.getByLabel("Email", { exact: true }).check();
  await page.getByLabel("Email recipients").fill("ana@example.com,\nops@example.com");
  await page.getByRole("button", { name: "Create schedule" }).click();

  await expect(page).toHaveURL(/\/schedule\/(?!new$)[^/]+$/);
  const id = new URL(page.url()).pathname.split("/").pop() ?? "";
  await expect(page.getByRole("status").filter({ hasText: "Created “Monday pipeline”" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: "Monday pipeline" })).toBeVisible();
  await expect(page.getByText("Email to ana@example.com, ops@example.com")).toBeVisible();
  await expect(page.getByRole("link", { name: "Run history" })).toHaveAttribute("href", `/schedule/${id}/history`);

  // Edit: rename and move to London; the preview follows the new zone.
  await page.getByLabel("Name", { exact: true }).fill("Monday pipeline (London)");
  await page.getByLabel("Time zone").fill("Europe/London");
  await expect(page.getByTestId("preview-description")).toContainText("· Europe/London");
  await expect(previewRuns(page)).toHaveCount(5);
  await expect(previewRuns(page).first()).toContainText(/^Mon .* 06:00 (GMT|BST) UTC\+0[01]:00/);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved “Monday pipeline (London)”" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: "Monday pipeline (London)" })).toBeVisible();
  expect((await apiSchedule(page, id)).body).toMatchObject({ name: "Monday pipeline (London)", timezone: "Europe/London" });

  // The list: pause, then resume, each confirmed by the API.
  await page.getByRole("link", { name: "← Scheduled reviews" }).click();
  const row = page.getByTestId("schedule-row").filter({ hasText: "Monday pipeline (London)" });
  await expect(row).toContainText("At 06:00 AM, only on Monday");
  await expect(row).toContainText("Europe/London");
  await expect(row).toContainText("Never run");
  await expect(row.getByTestId("schedule-zone-time")).toContainText(/06:00 (GMT|BST) in Europe\/London/);
  await expect(row.getByTestId("viewer-time").first()).toContainText(/E[SD]T/);
  const toggle = page.getByRole("switch", { name: "Active: Monday pipeline (London)" });
  await expect(toggle).toHaveAttribute("aria-checked", "true");

  // Pausing asks why (and optionally until when); the note shows in the list.
  await toggle.click();
  const pause = page.getByRole("dialog", { name: "Pause “Monday pipeline (London)”" });
  await pause.getByLabel("Note (why it is paused)").fill("Holiday freeze");
  await pause.getByRole("button", { name: "Pause" }).click();
  await expect(page.getByRole("status").filter({ hasText: "is paused" })).toBeVisible();
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await expect(row).toContainText("Paused: no upcoming runs");
  await expect(row.getByTestId("pause-note")).toContainText(/^Paused by sched_e2e_\w+: Holiday freeze$/);
  expect((await apiSchedule(page, id)).body).toMatchObject({ is_active: false, next_run_at: null });

  await toggle.click();
  await expect(page.getByRole("status").filter({ hasText: "is active again" })).toBeVisible();
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  const resumed = (await apiSchedule(page, id)).body;
  expect(resumed?.is_active).toBe(true);
  expect(resumed?.next_run_at).not.toBeNull();

  // Delete, through a confirmation that Escape dismisses without deleting.
  await row.getByRole("link", { name: "Monday pipeline (London)" }).click();
  await page.getByRole("button", { name: "Delete schedule" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete “Monday pipeline (London)”?" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("button", { name: "Delete schedule" })).toBeFocused();
  expect((await apiSchedule(page, id)).status).toBe(200);

  await page.getByRole("button", { name: "Delete schedule" }).click();
  await dialog.getByRole("button", { name: "Delete schedule" }).click();
  await expect(page).toHaveURL(/\/schedule$/);
  await expect(page.getByRole("status").filter({ hasText: "Deleted “Monday pipeline (London)”" })).toBeVisible();
  await expect(page.getByText("No scheduled reviews yet")).toBeVisible();
  expect((await apiSchedule(page, id)).status).toBe(404);
});

test("server validation errors land on their fields, and nothing is saved", async ({ page }) => {
  await signIn(page, uniqueUser("sched_e2e_invalid"), { plan: "team" });
  await page.goto("/schedule/new");
  await page.getByLabel("Name", { exact: true }).fill("Broken schedule");
  await page.getByLabel("Cron expression").fill("61 6 * * 1");
  await page.getByLabel("Email", { exact: true }).check();
  await page.getByLabel("Email recipients").fill("ana@example.com, not-an-email");
  await page.getByRole("button", { name: "Create schedule" }).click();

  const summary = page.getByTestId("form-errors");
  await expect(summary).toContainText("The schedule was not saved");
  await expect(summary).toContainText("Schedule: minute value 61 is out of range (0-59)");
  await expect(summary).toContainText("Email recipients: not-an-email: Invalid email address");
  await expect(summary).toBeFocused();
  await expect(page.getByLabel("Cron expression")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Cron expression")).toHaveAccessibleDescription(/minute value 61 is out of range/);
  await expect(page.getByLabel("Email recipients")).toHaveAccessibleDescription(/not-an-email: Invalid email address/);
  await expect(page).toHaveURL(/\/schedule\/new$/);
  expect(await apiScheduleCount(page)).toBe(0);

  // Fixing the fields clears their errors and the schedule saves.
  await page.getByLabel("Email recipients").fill("ana@example.com");
  await expect(page.getByLabel("Email recipients")).not.toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("Cron expression").fill("30 6 * * 1");
  await expect(previewRuns(page)).toHaveCount(5);
  await page.getByRole("button", { name: "Create schedule" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Broken schedule" })).toBeVisible();
  expect(await apiScheduleCount(page)).toBe(1);
});

test("the preview marks a run that daylight saving moves", async ({ page }) => {
  await signIn(page, uniqueUser("sched_e2e_dst"), { plan: "team" });
  await page.goto("/schedule/new");
  // Sundays in March at 02:30: the next 5 always include the spring-forward Sunday, when 02:30 doesn't exist.
  await page.getByLabel("Cron expression").fill("30 2 * 3 0");
  await expect(previewRuns(page)).toHaveCount(5);
  const moved = page.getByTestId("preview-runs").locator('li[data-dst="gap_shifted"]');
  await expect(moved).toHaveCount(1);
  await expect(moved).toContainText("DST");
  await expect(moved).toContainText(/Sun .* 03:00 EDT UTC-04:00/);
  await expect(moved).toContainText(/02:30 does not exist on \d+ Mar \d{4} \(clocks go forward\); runs at 03:00 EDT/);
});

test("a free-plan user is told creating or activating needs the Team plan", async ({ page }) => {
  // A schedule created on the team plan, paused, then the plan lapses to free.
  const user = uniqueUser("sched_e2e_free");
  await signIn(page, user, { plan: "team" });
  const connection = ((await (await page.request.get("/api/crm-connections")).json()) as { data: { id: string }[] }).data[0]?.id;
  const created = await page.request.post("/api/scheduled-reviews", {
    data: { name: "Lapsed", crm_connection_id: connection, schedule: "0 8 * * *", timezone: "UTC", is_active: false },
  });
  expect(created.status()).toBe(201);
  await signIn(page, user, { plan: "free" });

  const toggle = page.getByRole("switch", { name: "Active: Lapsed" });
  await toggle.click();
  await expect(page.getByTestId("schedule-row").getByRole("alert")).toContainText("Scheduled reviews need the Team plan or higher");
  await expect(toggle).toHaveAttribute("aria-checked", "false");

  await page.getByRole("link", { name: "New schedule" }).click();
  await page.getByLabel("Name", { exact: true }).fill("Not on this plan");
  await page.getByRole("button", { name: /Daily 08:00/ }).click();
  await expect(previewRuns(page)).toHaveCount(5);
  await page.getByRole("button", { name: "Create schedule" }).click();

  await expect(page.getByTestId("form-errors")).toContainText("Scheduled reviews need the Team plan or higher");
  await expect(page).toHaveURL(/\/schedule\/new$/);
  expect(await apiScheduleCount(page)).toBe(1);
});

import { expect, test } from "@playwright/test";
import { signIn, uniqueUser } from "./helpers";

// The schedule form sets the operating policies (overlap, catch-up window, auto-pause), checked like the
// API before anything is sent, and the schedule page shows them; the run history retention is set on
// the workspace settings page (issue #17).

test("set overlap, catch-up window and auto-pause in the form; see them on the schedule page", async ({ page }) => {
  await signIn(page, uniqueUser("policies_e2e"), { plan: "team" });
  await page.goto("/schedule/new");
  await page.getByLabel("Name", { exact: true }).fill("Policy pipeline");
  await expect(page.getByLabel("CRM connection")).toHaveValue(/.+/);
  await page.getByLabel("When a run is still going at the next slot").selectOption("buffer_one");
  await expect(page.getByLabel("When a run is still going at the next slot")).toHaveAccessibleDescription(/runs as soon as the current run ends/);
  await page.getByLabel("Catch-up window (minutes)").fill("120");
  await page.getByLabel("Auto-pause after consecutive failures (optional)").fill("0");
  await page.getByRole("button", { name: "Create schedule" }).click();

  // Out of the API's bounds: the field says so and nothing is sent.
  const autoPause = page.getByLabel("Auto-pause after consecutive failures (optional)");
  await expect(autoPause).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("form-errors")).toContainText("Auto-pause: Enter a whole number from 1 to 100");
  await expect(page).toHaveURL(/\/schedule\/new$/);

  await autoPause.fill("3");
  await page.getByRole("button", { name: "Create schedule" }).click();
  await expect(page).toHaveURL(/\/schedule\/(?!new$)[^/]+$/);
  const policies = page.getByRole("region", { name: "Policies and slots" });
  await expect(policies).toContainText("Overlap: buffer_one");
  await expect(policies).toContainText("within 120 minutes");
  await expect(page.getByTestId("auto-pause-policy")).toHaveText("Auto-pause: after 3 consecutive failed runs.");

  // Back in the edit form, the saved values; changing one shows on the page after saving.
  await expect(page.getByLabel("Catch-up window (minutes)")).toHaveValue("120");
  await page.getByLabel("Auto-pause after consecutive failures (optional)").fill("");
  await page.getByLabel("When a run is still going at the next slot").selectOption("allow");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByTestId("auto-pause-policy")).toHaveText("Auto-pause: off.");
  await expect(policies).toContainText("Overlap: allow");
});

test("an admin sets the run history retention on the workspace settings page", async ({ page }) => {
  await signIn(page, uniqueUser("retention_e2e"), { plan: "team" });
  await page.getByRole("link", { name: "Workspace" }).click();
  const days = page.getByLabel("Keep run history for (days)");
  await expect(days).toHaveValue("180");
  await days.fill("365");
  await page.getByRole("button", { name: "Save retention" }).click();
  await expect(days).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Your plan keeps run history for at most 180 days")).toBeVisible();
  await days.fill("90");
  await page.getByRole("button", { name: "Save retention" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Run history is kept for 90 days" })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Keep run history for (days)")).toHaveValue("90");
});

test("the form's check failing to load says so and does not lock the form (review 17 #8)", async ({ page }) => {
  await signIn(page, uniqueUser("policies_chunk"), { plan: "team" });
  await page.goto("/schedule/new");
  await page.getByLabel("Name", { exact: true }).fill("Offline pipeline");
  await expect(page.getByLabel("CRM connection")).toHaveValue(/.+/);
  // The page is loaded; the check's chunk (loaded on submit) does not arrive.
  await page.route("**/_next/static/chunks/**", (route) => route.abort());
  await page.getByRole("button", { name: "Create schedule" }).click();
  await expect(page.getByTestId("form-errors")).toBeVisible();
  await expect(page).toHaveURL(/\/schedule\/new$/);
  await page.unroute("**/_next/static/chunks/**");
  await page.getByTestId("form-errors").getByText("The schedule was not saved").waitFor();
  await page.getByRole("button", { name: "Create schedule" }).click();
  await expect(page).toHaveURL(/\/schedule\/(?!new$)[^/]+$/);
});

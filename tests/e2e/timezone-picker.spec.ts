import { expect, test } from "@playwright/test";
import { signIn, uniqueUser } from "./helpers";

// The zone picker searches the tz database's names and their links; the preview follows the pick.
test.use({ timezoneId: "America/New_York" });

test("typing Calcutta finds Asia/Kolkata; keyboard and mouse both pick", async ({ page }) => {
  await signIn(page, uniqueUser("tz_picker"), { plan: "team" });
  await page.goto("/schedule/new");
  const zone = page.getByRole("combobox", { name: "Time zone" });
  await expect(zone).toHaveValue("America/New_York");

  await zone.fill("Calcutta");
  const options = page.getByRole("listbox", { name: "Zone suggestions" }).getByRole("option");
  await expect(options).toHaveCount(1);
  await expect(options.first()).toContainText("Asia/Kolkata");
  await expect(options.first()).toContainText("also Asia/Calcutta");
  await zone.press("Enter");
  await expect(zone).toHaveValue("Asia/Kolkata");
  await expect(page.getByRole("listbox", { name: "Zone suggestions" })).toBeHidden();
  await expect(page.getByTestId("preview-description")).toContainText("· Asia/Kolkata");
  await expect(page.getByTestId("preview-runs").getByRole("listitem").first()).toContainText("UTC+05:30");

  await zone.fill("vancouver");
  await page.getByRole("option", { name: /America\/Vancouver/ }).click();
  await expect(zone).toHaveValue("America/Vancouver");
  await expect(page.getByTestId("preview-description")).toContainText("· America/Vancouver");

  // Wrong case is refused with the database's spelling.
  await zone.fill("america/new_york");
  await zone.press("Escape");
  await expect(page.getByText('Unknown IANA time zone; did you mean "America/New_York"?')).toBeVisible();
});

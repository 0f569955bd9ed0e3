import { expect, test } from "@playwright/test";
import { signIn, uniqueUser } from "./helpers";

test("an anonymous visitor lands on sign-in; after local sign-in the schedule list is empty", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByRole("heading", { name: "Sign in to Revwatch" })).toBeVisible();

  const user = uniqueUser("user_e2e");
  await signIn(page, user);
  await expect(page.getByRole("heading", { name: "Scheduled reviews", exact: true })).toBeVisible();
  await expect(page.getByText("No scheduled reviews yet")).toBeVisible();
  await expect(page.getByTestId("tenant")).toContainText(user);
});

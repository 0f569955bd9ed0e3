import { expect, test } from "@playwright/test";
import { sql } from "../support/sql";
import { signIn, uniqueUser } from "./helpers";

// Reads never create rows (issue #11, defect 9): a tenant without a CRM connection (an API-only or Clerk
// sign-up) gets the Demo CRM in one click, from the schedule form or the CRM page.

test("a tenant with no CRM connection picks the Demo CRM in one step on the schedule form", async ({ page }) => {
  const user = uniqueUser("demo_crm");
  await signIn(page, user);
  await sql(`DELETE FROM "CrmConnection" WHERE "ownerId" = $1`, [user]); // as if it had never signed up locally

  await page.goto("/crm");
  await expect(page.getByText("No CRM is connected yet")).toBeVisible();
  expect((await sql(`SELECT id FROM "CrmConnection" WHERE "ownerId" = $1`, [user])).length).toBe(0); // the page only read

  await page.goto("/schedule/new");
  await expect(page.getByLabel("CRM connection")).toHaveValue("");
  await page.getByRole("button", { name: "Use the Demo CRM" }).click();
  await expect(page.getByLabel("CRM connection")).toHaveValue(/.+/);
  await expect(page.getByRole("option", { name: "Demo CRM" })).toBeAttached();
  await expect(page.getByRole("button", { name: "Use the Demo CRM" })).toHaveCount(0);
  expect((await sql(`SELECT id FROM "CrmConnection" WHERE "ownerId" = $1`, [user])).length).toBe(1);
});

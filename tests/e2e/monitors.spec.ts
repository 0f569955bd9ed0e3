import { expect, test } from "@playwright/test";
import { signIn, uniqueUser } from "./helpers";

// The monitor list a page at a time: the server renders the newest 50; "Load more" appends the rest.

test("51 monitors: 50 on the page, Load more shows the oldest, then the button is gone", async ({ page }) => {
  await signIn(page, uniqueUser("admin"), { orgId: uniqueUser("org_monitors"), role: "admin" });
  for (let i = 0; i < 51; i++) {
    const res = await page.request.post("/api/monitors", { data: { name: `Job ${String(i).padStart(2, "0")}`, period_seconds: 3600 } });
    expect(res.status(), await res.text()).toBe(201);
  }
  await page.goto("/monitors");
  const rows = page.getByTestId("monitor");
  await expect(rows).toHaveCount(50);
  await expect(rows.first()).toContainText("Job 50");
  await expect(page.getByText("Job 00")).toHaveCount(0);
  await page.getByRole("button", { name: "Load more" }).click();
  await expect(rows).toHaveCount(51);
  await expect(rows.last()).toContainText("Job 00");
  await expect(page.getByRole("button", { name: "Load more" })).toHaveCount(0);
});

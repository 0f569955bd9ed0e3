import type { Page } from "@playwright/test";

/** Local sign-in through the real form (development identity). */
export async function signIn(page: Page, userId: string, opts: { orgId?: string; role?: "admin" | "member"; plan?: "free" | "team" | "business" } = {}) {
  await page.goto("/sign-in");
  await page.getByLabel("Sign in as (user id)").fill(userId);
  if (opts.orgId) await page.getByLabel("Organization id (optional)").fill(opts.orgId);
  if (opts.role) await page.getByLabel("Role in the organization").selectOption(opts.role);
  await page.getByLabel("Plan").selectOption(opts.plan ?? "team");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/schedule/);
}

export const uniqueUser = (prefix: string) => `${prefix}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

import { expect, test } from "@playwright/test";
import { signIn, uniqueUser } from "./helpers";

// Organization roles in the browser (issue #17): a member runs a schedule now but cannot edit it, nor
// change CRM connections, alert settings or monitors (the controls say why); an admin of the same organization pauses it with a note and a resume time, and
// the list shows who paused it, why and when it resumes.

test.use({ timezoneId: "UTC" });

test("member: Run now works, Edit is disabled with the reason; admin: pause with a note shows in the list", async ({ page }) => {
  const org = uniqueUser("org_roles");
  const admin = uniqueUser("admin");
  await signIn(page, admin, { orgId: org, role: "admin" });
  const connection = ((await (await page.request.get("/api/crm-connections")).json()) as { data: { id: string }[] }).data[0]!.id;
  const created = await page.request.post("/api/scheduled-reviews", {
    data: { name: "Team pipeline", crm_connection_id: connection, schedule: "0 6 * * 1", timezone: "UTC", delivery_channels: [] },
  });
  expect(created.status(), await created.text()).toBe(201);
  const scheduleId = ((await created.json()) as { id: string }).id;

  // As a member of the same organization.
  await signIn(page, uniqueUser("member"), { orgId: org, role: "member" });
  await expect(page.getByTestId("tenant")).toContainText("member");
  await page.goto(`/schedule/${scheduleId}`);
  const edit = page.getByRole("button", { name: "Edit" });
  await expect(edit).toBeDisabled();
  await expect(page.getByTestId("admin-only-reason")).toHaveText("Only organization admins can do this; your role is member");
  await expect(page.getByRole("heading", { name: "Edit schedule" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Delete schedule" })).toHaveCount(0);
  await page.getByRole("button", { name: "Run now" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Review started!" })).toBeVisible();
  await expect
    .poll(async () => ((await (await page.request.get(`/api/scheduled-reviews/${scheduleId}/runs`)).json()) as { data: { trigger: string }[] }).data.map((r) => r.trigger), { timeout: 30_000 })
    .toContain("manual");
  await page.reload();
  await expect(page.getByTestId("activity-list")).toContainText(/user_|member_/);
  await expect(page.getByTestId("activity-list")).toContainText('Ran "Team pipeline" now');
  await page.goto("/schedule");
  await expect(page.getByRole("switch", { name: "Active: Team pipeline" })).toBeDisabled();
  expect((await page.request.patch(`/api/scheduled-reviews/${scheduleId}`, { data: { name: "Renamed" } })).status()).toBe(403);
  // CRM connections, alert settings and monitors: the admin actions are disabled, with the reason beside them.
  for (const [path, button] of [["/crm", "Rename"], ["/alerts/settings", "Save settings"], ["/monitors", "Create monitor"]] as const) {
    await page.goto(path);
    const control = page.getByRole("button", { name: button, exact: true }).first();
    await expect(control).toBeDisabled();
    const reason = await control.getAttribute("aria-describedby");
    await expect(page.locator(`[id="${reason}"]`)).toHaveText("Only organization admins can do this; your role is member");
  }

  // As the admin: pause with a note and a resume time; the list says who, why and when.
  await signIn(page, admin, { orgId: org, role: "admin" });
  await page.getByRole("switch", { name: "Active: Team pipeline" }).click();
  const dialog = page.getByRole("dialog", { name: "Pause “Team pipeline”" });
  await dialog.getByLabel("Note (why it is paused)").fill("CRM migration this week");
  await dialog.getByLabel("Resume at (optional, your time)").fill("2099-01-05T09:00");
  await dialog.getByRole("button", { name: "Pause" }).click();
  const note = page.getByTestId("schedule-row").filter({ hasText: "Team pipeline" }).getByTestId("pause-note");
  await expect(note).toContainText(`Paused by ${admin}: CRM migration this week, resumes`);
  await expect(note).toContainText("Jan 5, 09:00"); // in the browser's zone (UTC here)
  const after = (await (await page.request.get(`/api/scheduled-reviews/${scheduleId}`)).json()) as { is_active: boolean; pause: { note: string; resume_at: string } };
  expect(after).toMatchObject({ is_active: false, pause: { note: "CRM migration this week" } });
  expect(after.pause.resume_at.startsWith("2099-01-05")).toBe(true);
});

test("member without a Demo CRM connection: Use the Demo CRM is disabled with the reason (review 17 #10)", async ({ browser }) => {
  const org = uniqueUser("org_demo_roles");
  const [member, admin] = [await browser.newPage(), await browser.newPage()];
  await signIn(member, uniqueUser("member"), { orgId: org, role: "member" });
  await signIn(admin, uniqueUser("admin"), { orgId: org, role: "admin" }); // sign-in created the Demo CRM: remove it
  const demo = ((await (await admin.request.get("/api/crm-connections")).json()) as { data: { id: string }[] }).data[0]!.id;
  expect((await admin.request.delete(`/api/crm-connections/${demo}`)).status()).toBe(204);

  await member.goto("/crm");
  const button = member.getByRole("button", { name: "Use the Demo CRM", exact: true });
  await expect(button).toBeDisabled();
  const reason = await button.getAttribute("aria-describedby");
  await expect(member.locator(`[id="${reason}"]`)).toHaveText("Only organization admins can do this; your role is member");
  await Promise.all([member.close(), admin.close()]);
});

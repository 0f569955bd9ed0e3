import { expect, test, type Page } from "@playwright/test";
import { insertDemoConnection, sql } from "../support/sql";
import { signIn, uniqueUser } from "./helpers";

// Replay in the browser: "Replay" on a failed run re-runs that run (same row, trigger replay);
// "Replay failed runs" on the history page re-runs each failed run of a range once.

type Run = { id: string; status: string; trigger: string; scheduled_for: string };

async function setup(page: Page, name: string) {
  const user = uniqueUser("replay_e2e");
  await signIn(page, user);
  // Expired token: the run fails at once (not retried); then the connection is repaired.
  const connection = await insertDemoConnection(user, "demo://?fail=auth_expired");
  const res = await page.request.post("/api/scheduled-reviews", {
    data: { name, crm_connection_id: connection, schedule: "0 6 * * 1", timezone: "UTC", delivery_channels: [] },
  });
  expect(res.status(), await res.text()).toBe(201);
  const scheduleId = ((await res.json()) as { id: string }).id;
  const repair = () => sql(`UPDATE "CrmConnection" SET "instanceUrl" = 'demo://?seed=42&size=120' WHERE id = $1`, [connection]);
  return { scheduleId, repair };
}

async function failedRun(page: Page, scheduleId: string): Promise<Run> {
  const res = await page.request.post(`/api/scheduled-reviews/${scheduleId}/run-now`);
  expect(res.status(), await res.text()).toBe(202);
  const { run } = (await res.json()) as { run: Run };
  await expect.poll(async () => ((await (await page.request.get(`/api/runs/${run.id}`)).json()) as Run).status, { timeout: 30_000 }).toBe("failed");
  return run;
}

const toast = (page: Page, text: string | RegExp) => page.getByRole("status").filter({ hasText: text });

test("Replay on a failed run's page re-runs that run: same slot, trigger replay, completed", async ({ page }) => {
  const { scheduleId, repair } = await setup(page, "Replay one e2e");
  const run = await failedRun(page, scheduleId);
  await repair();
  await page.goto(`/runs/${run.id}`);
  await expect(page.getByTestId("run-status")).toHaveText("✗ Failed");
  await page.getByRole("button", { name: /Replay/ }).click();
  await expect(toast(page, "Replay queued")).toBeVisible();
  await expect(page.getByTestId("run-status")).toHaveText("✓ Completed", { timeout: 30_000 });
  await expect(page.getByRole("button", { name: /Replay/ })).toHaveCount(0); // only failed runs offer it
  await expect(page.getByText(/^replay · slot/)).toBeVisible();
  const after = (await (await page.request.get(`/api/runs/${run.id}`)).json()) as Run;
  expect(after).toMatchObject({ id: run.id, status: "completed", trigger: "replay", scheduled_for: run.scheduled_for });
});

test("Replay failed runs on the history page re-runs each failed run of the range once", async ({ page }) => {
  const { scheduleId, repair } = await setup(page, "Replay range e2e");
  const runs = [await failedRun(page, scheduleId), await failedRun(page, scheduleId)];
  await repair();
  await page.goto(`/schedule/${scheduleId}/history`);
  await expect(page.getByTestId("run-row").getByTestId("run-status")).toHaveText(["✗ Failed", "✗ Failed"]);
  await page.getByRole("button", { name: /Replay failed runs/ }).click();
  const dialog = page.getByRole("dialog", { name: "Replay failed runs" });
  await expect(dialog.getByLabel("From")).toHaveValue(/^\d{4}-\d\d-\d\dT\d\d:\d\d$/);
  await dialog.getByRole("button", { name: "Replay" }).click();
  await expect(toast(page, "Replaying 2 failed run(s)")).toBeVisible();
  await expect(page.getByTestId("run-row").getByTestId("run-status")).toHaveText(["✓ Completed", "✓ Completed"], { timeout: 30_000 });
  for (const r of runs) {
    const after = (await (await page.request.get(`/api/runs/${r.id}`)).json()) as Run;
    expect(after).toMatchObject({ status: "completed", trigger: "replay", scheduled_for: r.scheduled_for });
  }
  // Again: nothing is failed any more, so nothing runs twice.
  await page.getByRole("button", { name: /Replay failed runs/ }).click();
  await page.getByRole("dialog", { name: "Replay failed runs" }).getByRole("button", { name: "Replay" }).click();
  await expect(toast(page, "No failed runs in that range")).toBeVisible();
});

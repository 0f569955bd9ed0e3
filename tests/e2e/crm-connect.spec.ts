import { expect, test, type Page } from "@playwright/test";
import { encrypt } from "@/lib/crypto";
import { makeHubspotDeals } from "../support/fake-hubspot";
import { FAKE_SF_RECORD_TYPES, makeOpportunities } from "../support/fake-salesforce";
import { sql } from "../support/sql";
import { signIn, uniqueUser } from "./helpers";

// Issue #14 end to end: connect HubSpot and Salesforce (sandbox) through the fakes' consent pages,
// test the connection, create a schedule scoped to one pipeline in the form, Run now -> completed with
// that pipeline's open deals only; a dead refresh token -> run failed crm_auth_expired, Reconnect on /crm.
// The fake CRMs (scripts/e2e-serve.mjs) hold 300 HubSpot deals and 300 Salesforce opportunities.

// Each test connects, runs twice or reconnects: minutes on a loaded machine.
test.describe.configure({ timeout: 240_000 });

const hubspotRenewalsOpen = makeHubspotDeals(300).filter((d) => d.properties.pipeline === "renewals" && d.properties.dealstage === "renewal-open").length;
const salesforceRenewals = makeOpportunities(300).opportunities.filter((o) => o.RecordTypeId === FAKE_SF_RECORD_TYPES[1]!.Id).length;

/** Consent page -> Allow -> back on /crm with the new connection named. */
async function allowOnConsentPage(page: Page, provider: "HubSpot" | "Salesforce") {
  await expect(page.getByRole("heading", { name: `Allow Revwatch to read your ${provider} deals?` })).toBeVisible();
  expect(new URL(page.url()).hostname).toBe("127.0.0.1"); // the fake provider, not the app
  await page.getByRole("button", { name: "Allow" }).click();
  await page.waitForURL(/\/crm\?connected=/);
}

/** Test connection on the row, a schedule scoped to `pipeline` from the form, Run now -> completed; returns the schedule id. */
async function testScheduleAndRun(page: Page, connectionName: string, pipeline: string) {
  const row = page.locator("li", { hasText: connectionName }).first();
  await row.getByRole("button", { name: "Test connection" }).click();
  await expect(row.getByTestId("last-test")).toContainText(/Last test: OK — Connected: \d+ open deals/);

  await page.goto("/schedule/new");
  await page.getByLabel("Name", { exact: true }).fill(`${connectionName} ${pipeline} review`);
  await page.getByLabel("CRM connection").selectOption({ label: connectionName });
  const scope = page.getByTestId("scan-scope");
  await scope.getByRole("checkbox", { name: pipeline, exact: true }).check();
  await page.getByRole("button", { name: "Create schedule" }).click();
  await page.waitForURL((url) => /^\/schedule\/[^/]+$/.test(url.pathname) && url.pathname !== "/schedule/new");
  const scheduleId = new URL(page.url()).pathname.split("/").pop()!;

  await page.goto(`/schedule/${scheduleId}/history`);
  await page.getByRole("button", { name: /Run now/ }).click();
  await expect(page.getByTestId("run-row").first().getByTestId("run-status")).toHaveText("✓ Completed", { timeout: 45_000 });
  return scheduleId;
}

async function lastRun(page: Page, scheduleId: string) {
  const res = await page.request.get(`/api/scheduled-reviews/${scheduleId}/runs`);
  return ((await res.json()) as { data: { status: string; deals_analyzed: number | null; error_code: string | null; error_message: string | null }[] }).data[0]!;
}

test("HubSpot: connect, test, a schedule scoped to one pipeline runs on that pipeline only; a dead token shows Reconnect", async ({ page }) => {
  const user = uniqueUser("user_hubspot");
  await signIn(page, user);
  await page.goto("/crm");
  await page.getByRole("button", { name: "Connect HubSpot" }).click();
  await allowOnConsentPage(page, "HubSpot");
  await expect(page.getByRole("status")).toContainText("Connected HubSpot");

  const scheduleId = await testScheduleAndRun(page, "HubSpot", "Renewals");
  expect(await lastRun(page, scheduleId)).toMatchObject({ status: "completed", deals_analyzed: hubspotRenewalsOpen });

  // The user revokes the app in HubSpot: the stored refresh token stops working.
  await sql(`UPDATE "CrmConnection" SET "refreshTokenEnc" = $1, "tokenExpiresAt" = now() - interval '1 minute' WHERE "ownerId" = $2 AND provider = 'HUBSPOT'`, [encrypt("rt-revoked"), user]);
  await page.getByRole("button", { name: /Run now/ }).click();
  await expect(page.getByTestId("run-row").first().getByTestId("run-status")).toContainText("Failed", { timeout: 45_000 });
  const failed = await lastRun(page, scheduleId);
  expect(failed).toMatchObject({ status: "failed", error_code: "crm_auth_expired" });
  expect(failed.error_message).toMatch(/reconnect it on the CRM page/);

  await page.goto("/crm");
  const row = page.locator("li", { hasText: "HubSpot" }).first();
  await expect(row).toContainText("Status: expired");
  await row.getByRole("button", { name: "Reconnect" }).click();
  await allowOnConsentPage(page, "HubSpot");
  await expect(page.locator("li", { hasText: "HubSpot" }).first()).toContainText("Status: active");
});

test("Salesforce (sandbox): connect with PKCE, test, a schedule scoped to one record type runs on it only", async ({ page }) => {
  const user = uniqueUser("user_salesforce");
  await signIn(page, user);
  await page.goto("/crm");
  await page.getByLabel("Salesforce login").selectOption("sandbox");
  await page.getByRole("button", { name: "Connect Salesforce" }).click();
  await expect(page).toHaveURL(/code_challenge_method=S256/);
  await allowOnConsentPage(page, "Salesforce");
  await expect(page.getByRole("status")).toContainText("Connected Salesforce (sandbox)");

  const scheduleId = await testScheduleAndRun(page, "Salesforce (sandbox)", "Renewal");
  expect(await lastRun(page, scheduleId)).toMatchObject({ status: "completed", deals_analyzed: salesforceRenewals });
});

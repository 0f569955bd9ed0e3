// CRM connections for tests: the fakes' OAuth app in the environment, and connections that start
// out connected (tokens minted by the fake, stored encrypted as the callback would store them).
import { expect } from "vitest";
import { encrypt } from "@/lib/crypto";
import { systemDb } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import type { FakeHubspot } from "./fake-hubspot";
import type { FakeSalesforce } from "./fake-salesforce";
import { createRun, FN, requestedEvent, type inProcessInngestForFile } from "./in-process-inngest";

/**
 * Points the app's HubSpot and Salesforce settings at the fakes (this process only). Salesforce's
 * sandbox login host is `sandbox` when given (a second fake, so a test can tell the hosts apart), else `sf`.
 */
export function useFakeCrms(hub: FakeHubspot | null, sf: FakeSalesforce | null, sandbox: FakeSalesforce | null = sf): void {
  if (hub) {
    Object.assign(process.env, {
      HUBSPOT_CLIENT_ID: hub.oauth.clientId, HUBSPOT_CLIENT_SECRET: hub.oauth.clientSecret,
      HUBSPOT_API_BASE_URL: hub.url, HUBSPOT_AUTH_BASE_URL: hub.url,
    });
  }
  if (sf) {
    Object.assign(process.env, {
      SALESFORCE_CLIENT_ID: sf.oauth.clientId, SALESFORCE_CLIENT_SECRET: sf.oauth.clientSecret,
      SALESFORCE_LOGIN_URL: sf.url, SALESFORCE_SANDBOX_LOGIN_URL: (sandbox ?? sf).url,
    });
  }
  process.env.APP_URL ??= "http://localhost:3000";
  resetEnvCache();
}

/** A connected HubSpot or Salesforce connection of `ownerId`; `expiresInMs` sets the stored access-token expiry. */
export async function connectedConnection(ownerId: string, fake: FakeHubspot | FakeSalesforce, opts: { provider: "HUBSPOT" | "SALESFORCE"; expiresInMs?: number | null }) {
  const t = fake.oauth.mint();
  const expiresInMs = opts.expiresInMs === undefined ? t.expiresIn * 1000 : opts.expiresInMs;
  return systemDb().crmConnection.create({
    data: {
      ownerId, provider: opts.provider, name: opts.provider === "HUBSPOT" ? "HubSpot" : "Salesforce", status: "ACTIVE",
      accessTokenEnc: encrypt(t.accessToken), refreshTokenEnc: encrypt(t.refreshToken),
      tokenExpiresAt: expiresInMs === null ? null : new Date(Date.now() + expiresInMs),
      instanceUrl: opts.provider === "SALESFORCE" ? fake.url : null, loginUrl: opts.provider === "SALESFORCE" ? fake.url : null,
    },
  });
}

/** A schedule on that connection (no deliveries), ready for a run. */
export function scheduleOn(connection: { id: string; ownerId: string }, scanScope: object = {}) {
  return systemDb().scheduledReview.create({
    data: {
      ownerId: connection.ownerId, name: "CRM review", crmConnectionId: connection.id, cron: "0 6 * * 1", timezone: "UTC",
      nextRunAt: null, isActive: true, deliveryChannels: [], emailRecipients: [], scanScope,
    },
  });
}

/** Runs one review of a new schedule on `connection` through the file's in-process Inngest: the run record and the stored run. */
export function reviewRunner(inngest: ReturnType<typeof inProcessInngestForFile>) {
  return async (connection: { id: string; ownerId: string }, scanScope: object = {}) => {
    const schedule = await scheduleOn(connection, scanScope);
    const queued = await createRun(schedule);
    const record = await inngest.fake.run(FN.review, requestedEvent(queued));
    return { record, run: await systemDb().reviewRun.findUniqueOrThrow({ where: { id: queued.id } }) };
  };
}

/**
 * The browser's part of the connect flow: open the fake's consent page, press Allow (or Deny), and
 * read the provider's redirect to the callback.
 */
export async function consent(authorizeUrl: string, decision: "allow" | "deny" = "allow"): Promise<URL> {
  const page = await fetch(authorizeUrl);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain(">Allow</button>");
  const decide = new URL(authorizeUrl);
  decide.pathname += "/decide";
  decide.searchParams.set("decision", decision);
  const res = await fetch(decide, { redirect: "manual" });
  return new URL(res.headers.get("location")!);
}

// HubSpot against its loopback fake: every open deal past the 10,000-per-query cap, tokens refreshed
// ahead of expiry and when one dies mid-run (once, even with two runs at once), a revoked refresh token
// expiring the connection, and 429s waited out (DAILY fails the run).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { CRM_FETCH_BUDGET_MS } from "@/lib/runs/analyse";
import { systemDb } from "@/lib/db";
import { createHubspotClient } from "@/lib/crm/hubspot";
import { ensureFreshToken } from "@/lib/crm/tokens";
import { resetDb } from "@/tests/support/db";
import { connectedConnection, reviewRunner, useFakeCrms } from "@/tests/support/crm";
import { FakeHubspot, makeHubspotDeals } from "@/tests/support/fake-hubspot";
import { inProcessInngestForFile } from "@/tests/support/in-process-inngest";

const inngest = inProcessInngestForFile();
const hub = new FakeHubspot();
const OWNER = "org_hubspot";

beforeAll(async () => {
  await hub.listen();
  useFakeCrms(hub, null);
});
afterAll(() => hub.close());
const BUDGETS = { ...CRM_FETCH_BUDGET_MS };
afterEach(() => void Object.assign(CRM_FETCH_BUDGET_MS, BUDGETS));
beforeEach(async () => {
  await resetDb();
  hub.reset();
});

const openIds = (deals: ReturnType<typeof makeHubspotDeals>, pipeline?: string) =>
  deals.filter((d) => !["closedwon", "closedlost", "renewal-won"].includes(d.properties.dealstage!) && (!pipeline || d.properties.pipeline === pipeline)).map((d) => d.id);

const runReview = reviewRunner(inngest);

describe("HubSpot fetching", () => {
  test("25,000 deals: every open one fetched once, the query split past the 10,000 cap", { timeout: 120_000 }, async () => {
    hub.deals = makeHubspotDeals(25_000);
    hub.searchesPerSecond = 50;
    const conn = await connectedConnection(OWNER, hub, { provider: "HUBSPOT" });
    const deals = await createHubspotClient({ connectionId: conn.id, ownerId: conn.ownerId, searchesPerSecond: 50, callsPerSecond: 500 }).fetchOpenDeals();
    const expected = openIds(hub.deals);
    expect(expected.length).toBeGreaterThan(20_000);
    expect(deals).toHaveLength(expected.length);
    expect(new Set(deals.map((d) => d.id)).size).toBe(deals.length);
    expect(deals.map((d) => d.id).sort()).toEqual([...expected].sort());
    // Two splits: each later query starts after the last id the one before it read.
    const splits = hub.searchBodies.filter((b) => JSON.stringify(b).includes('"hs_object_id","operator":"GT"'));
    expect(new Set(splits.map((b) => JSON.stringify((b.filterGroups as unknown[])[0]))).size).toBe(2);
    expect(hub.searchBodies.every((b) => (b.limit as number) === 200)).toBe(true);
    expect(hub.rateLimited).toEqual([]);
  });

  test("a HubSpot run fetches under HubSpot's budget, not the Demo CRM's: with Demo's at 1 ms, slowed calls still complete first time", { timeout: 60_000 }, async () => {
    // Every fake call takes at least 40 ms, so a fetch under a 1 ms budget could only abort (crm_timeout,
    // then a retry). Which budget the run path chose shows in the outcome, never in elapsed time.
    CRM_FETCH_BUDGET_MS.DEMO = 1;
    hub.deals = makeHubspotDeals(400);
    hub.slowMs = 40;
    const conn = await connectedConnection(OWNER, hub, { provider: "HUBSPOT" });
    const { run } = await runReview(conn);
    expect(run).toMatchObject({ status: "COMPLETED", retryCount: 0, dealsAnalyzed: openIds(hub.deals).length });
    expect(hub.searchBodies.length).toBeGreaterThanOrEqual(2);
  });

  test("a scan scope of one pipeline reads only that pipeline's open deals, with owner names and stage labels", async () => {
    hub.deals = makeHubspotDeals(300);
    const conn = await connectedConnection(OWNER, hub, { provider: "HUBSPOT" });
    const { run } = await runReview(conn, { pipeline_ids: ["renewals"] });
    expect(run).toMatchObject({ status: "COMPLETED", dealsAnalyzed: openIds(hub.deals, "renewals").length });
    const deals = await createHubspotClient({ connectionId: conn.id, ownerId: conn.ownerId, scope: { pipelineIds: ["renewals"], stageIds: [], ownerIds: [], minAmount: null } }).fetchOpenDeals();
    expect(new Set(deals.map((d) => d.stage))).toEqual(new Set(["Renewal open"]));
    expect(deals.find((d) => d.owner !== null)?.owner).toMatch(/^(Maya Patel|Jordan Lee)$/);
  });
});

describe("HubSpot tokens", () => {
  test("a token close to expiry is refreshed before the first call, and the rotated refresh token stored", async () => {
    hub.deals = makeHubspotDeals(50);
    const conn = await connectedConnection(OWNER, hub, { provider: "HUBSPOT", expiresInMs: 60_000 });
    const { run } = await runReview(conn);
    expect(run.status).toBe("COMPLETED");
    expect(hub.oauth.refreshCount()).toBe(1);
    const after = await systemDb().crmConnection.findUniqueOrThrow({ where: { id: conn.id } });
    expect(after.refreshTokenEnc).not.toBe(conn.refreshTokenEnc);
    expect(after.tokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 20 * 60_000);
  });

  test("a token that dies mid-run is refreshed once and the run completes", async () => {
    hub.deals = makeHubspotDeals(1_000);
    const conn = await connectedConnection(OWNER, hub, { provider: "HUBSPOT" });
    hub.onSearch = (n) => n === 3 && hub.oauth.expireAccessTokens();
    const { record, run } = await runReview(conn);
    expect(record.status).toBe("completed");
    expect(run).toMatchObject({ status: "COMPLETED", retryCount: 0, dealsAnalyzed: openIds(hub.deals).length });
    expect(hub.oauth.refreshCount()).toBe(1);
  });

  test("two refreshes of one connection at once spend the refresh token once", async () => {
    const conn = await connectedConnection(OWNER, hub, { provider: "HUBSPOT", expiresInMs: 0 });
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => ensureFreshToken({ connectionId: conn.id, ownerId: conn.ownerId }, { aheadMs: 60_000 })));
    expect(b!.accessToken).toBe(a!.accessToken);
    expect(c!.accessToken).toBe(a!.accessToken);
    expect(hub.oauth.tokenRequests).toEqual([{ grantType: "refresh_token", ok: true }]);
    expect((await systemDb().crmConnection.findUniqueOrThrow({ where: { id: conn.id } })).status).toBe("ACTIVE");
  });

  test("a revoked refresh token expires the connection: the run fails with crm_auth_expired and crm/connection.expired is sent once", async () => {
    hub.deals = makeHubspotDeals(50);
    const conn = await connectedConnection(OWNER, hub, { provider: "HUBSPOT", expiresInMs: 0 });
    hub.oauth.revokeAll();
    const { record, run } = await runReview(conn);
    expect(record.status).toBe("failed");
    expect(record.attempts.analyse).toBe(1);
    expect(run).toMatchObject({ status: "FAILED", errorCode: "crm_auth_expired" });
    expect(run.errorMessage).toMatch(/reconnect it on the CRM page/);
    const after = await systemDb().crmConnection.findUniqueOrThrow({ where: { id: conn.id } });
    expect(after.status).toBe("EXPIRED");
    const events = inngest.fake.events.filter((e) => e.name === "crm/connection.expired");
    expect(events).toMatchObject([{ id: `crm-connection-expired:${conn.id}:${after.expiredAt!.getTime()}`, data: { ownerId: OWNER, connectionId: conn.id, provider: "hubspot" } }]);
    expect(String(events[0]!.data.reason)).toMatch(/HubSpot/);
    // A second run does not try the dead token again.
    const again = await runReview(conn);
    expect(again.run.errorCode).toBe("crm_auth_expired");
    expect(hub.oauth.tokenRequests.filter((r) => r.grantType === "refresh_token")).toHaveLength(1);
  });
});

describe("HubSpot limits", () => {
  test("429 bursts (SECONDLY, TEN_SECONDLY_ROLLING) are waited out: no failed run, no retry", { timeout: 60_000 }, async () => {
    hub.deals = makeHubspotDeals(1_000);
    hub.searchesPerSecond = 2;
    hub.failNext(2, "SECONDLY");
    hub.failNext(1, "TEN_SECONDLY_ROLLING");
    const conn = await connectedConnection(OWNER, hub, { provider: "HUBSPOT" });
    const { run } = await runReview(conn);
    expect(run).toMatchObject({ status: "COMPLETED", retryCount: 0, dealsAnalyzed: openIds(hub.deals).length });
    // The scripted three plus the ones the client ran into at 2 searches a second.
    expect(hub.rateLimited.length).toBeGreaterThanOrEqual(3);
  });

  test("a DAILY limit fails the run with crm_rate_limited and says when it resets", async () => {
    hub.deals = makeHubspotDeals(10);
    hub.failNext(1, "DAILY");
    const conn = await connectedConnection(OWNER, hub, { provider: "HUBSPOT" });
    const { record, run } = await runReview(conn);
    expect(record.attempts.analyse).toBe(1);
    expect(run).toMatchObject({ status: "FAILED", errorCode: "crm_rate_limited" });
    expect(run.errorMessage).toMatch(/daily API limit.*resets/);
  });

  test("5xx answers are retried within the fetch", async () => {
    hub.deals = makeHubspotDeals(10);
    hub.failNext(2, "500");
    const conn = await connectedConnection(OWNER, hub, { provider: "HUBSPOT" });
    const deals = await createHubspotClient({ connectionId: conn.id, ownerId: conn.ownerId, retryBaseMs: 1 }).fetchOpenDeals();
    expect(deals).toHaveLength(openIds(hub.deals).length);
  });
});

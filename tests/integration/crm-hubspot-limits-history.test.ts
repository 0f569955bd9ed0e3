// HubSpot (#14 review): the search limit shared by concurrent runs on one connection (Postgres pacing)
// and obeyed from the X-HubSpot-RateLimit-* headers; deal history by batch read feeding the
// close_date_slipped / stage_moved_backward / amount_decreased rules; a token refused twice expiring
// the connection only when a forced refresh is refused too; a scope whose stages all closed reading no deals (never `IN []`);
// deletion revoking on the documented endpoint; token queries filtered by owner.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { deleteConnection } from "@/lib/crm/connect";
import { createHubspotClient } from "@/lib/crm/hubspot";
import { slotsTaken } from "@/lib/crm/pacing";
import { ensureFreshToken } from "@/lib/crm/tokens";
import { systemDb } from "@/lib/db";
import { connectedConnection, reviewRunner, useFakeCrms } from "@/tests/support/crm";
import { resetDb } from "@/tests/support/db";
import { FakeHubspot, makeHubspotDeals } from "@/tests/support/fake-hubspot";
import { inProcessInngestForFile } from "@/tests/support/in-process-inngest";

const inngest = inProcessInngestForFile();
const hub = new FakeHubspot();
const OWNER = "org_hubspot_review";
const DAY = 86_400_000;

beforeAll(async () => {
  await hub.listen();
  useFakeCrms(hub, null);
});
afterAll(() => hub.close());
beforeEach(async () => {
  await resetDb();
  hub.reset();
});

const openCount = (deals: ReturnType<typeof makeHubspotDeals>) => deals.filter((d) => !["closedwon", "closedlost", "renewal-won"].includes(d.properties.dealstage!)).length;

const runReview = reviewRunner(inngest);

describe("HubSpot search limit", () => {
  test("two fetches on one connection at once stay within 5 searches a second at the fake", { timeout: 60_000 }, async () => {
    hub.deals = makeHubspotDeals(2_000); // 9 searches each
    const conn = await connectedConnection(OWNER, hub, { provider: "HUBSPOT" });
    const client = () => createHubspotClient({ connectionId: conn.id, ownerId: conn.ownerId });
    const [a, b] = await Promise.all([client().fetchOpenDeals(), client().fetchOpenDeals()]);
    expect(a).toHaveLength(openCount(hub.deals));
    expect(b).toHaveLength(openCount(hub.deals));
    expect(hub.searchRequests).toBe(2 * Math.ceil(openCount(hub.deals) / 200));
    // The fake counts searches per rolling second and answers 429 SECONDLY past 5: none did.
    expect(hub.rateLimited).toEqual([]);
  });

  test("every search also takes a call slot: the shared call budget counts every API call the fake answered", { timeout: 60_000 }, async () => {
    hub.deals = makeHubspotDeals(1_000);
    const conn = await connectedConnection(OWNER, hub, { provider: "HUBSPOT" });
    await createHubspotClient({ connectionId: conn.id, ownerId: conn.ownerId }).fetchOpenDeals();
    expect(hub.searchRequests).toBeGreaterThanOrEqual(5);
    // pipelines + owners + searches + history batch reads, all on the hubspot-call row (searches were missing).
    expect(await slotsTaken("hubspot-call", conn.id)).toBe(hub.apiCalls);
    expect(await slotsTaken("hubspot-search", conn.id)).toBe(hub.searchRequests);
  });

  test("a stricter account limit in the X-HubSpot-RateLimit-Secondly(-Remaining) headers slows the client: no 429 at 2 searches a second", { timeout: 60_000 }, async () => {
    hub.deals = makeHubspotDeals(1_000);
    hub.searchesPerSecond = 2;
    const conn = await connectedConnection(OWNER, hub, { provider: "HUBSPOT" });
    const deals = await createHubspotClient({ connectionId: conn.id, ownerId: conn.ownerId }).fetchOpenDeals();
    expect(deals).toHaveLength(openCount(hub.deals));
    expect(hub.rateLimited).toEqual([]);
  });

  test("X-HubSpot-RateLimit-Daily-Remaining 0: the run stops before the call that would be refused", async () => {
    hub.deals = makeHubspotDeals(1_000);
    hub.dailyLimit = 3; // pipelines, owners, one search
    const conn = await connectedConnection(OWNER, hub, { provider: "HUBSPOT" });
    const { run } = await runReview(conn);
    expect(run).toMatchObject({ status: "FAILED", errorCode: "crm_rate_limited" });
    expect(run.errorMessage).toMatch(/daily API limit/);
    expect(hub.apiCalls).toBe(3);
    expect(hub.rateLimited).toEqual([]);
  });
});

describe("HubSpot deal history", () => {
  test("close date slipped, stage moved backward and amount decreased fire for HubSpot deals", async () => {
    const now = Date.now();
    const at = (daysAgo: number) => new Date(now - daysAgo * DAY).toISOString();
    const closeIn = (days: number) => new Date(Math.floor(now / DAY) * DAY + days * DAY).toISOString();
    hub.deals = makeHubspotDeals(120, now);
    const [slipped, backward, smaller] = hub.deals.filter((d) => d.properties.dealstage === "qualifiedtobuy");
    slipped!.properties.closedate = closeIn(50);
    slipped!.history = { closedate: [{ value: closeIn(50), timestamp: at(5), sourceType: "CRM_UI" }, { value: closeIn(5), timestamp: at(40), sourceType: "CRM_UI" }] };
    backward!.history = { dealstage: [{ value: "qualifiedtobuy", timestamp: at(3), sourceType: "CRM_UI" }, { value: "contractsent", timestamp: at(10), sourceType: "CRM_UI" }, { value: "appointmentscheduled", timestamp: at(30), sourceType: "CRM_UI" }] };
    smaller!.properties.amount = "5000";
    smaller!.history = { amount: [{ value: "5000", timestamp: at(2), sourceType: "CRM_UI" }, { value: "20000", timestamp: at(20), sourceType: "CRM_UI" }] };
    const conn = await connectedConnection(OWNER, hub, { provider: "HUBSPOT" });
    const { run } = await runReview(conn);
    expect(run).toMatchObject({ status: "COMPLETED", dealsAnalyzed: openCount(hub.deals) });
    // Every open deal's history read, at most 50 deals a request (HubSpot's limit with propertiesWithHistory).
    expect(hub.batchReads.reduce((a, b) => a + b, 0)).toBe(openCount(hub.deals));
    expect(Math.max(...hub.batchReads)).toBeLessThanOrEqual(50);
    const findings = await systemDb().finding.findMany({ where: { analysisId: run.analysisId!, rule: { in: ["close_date_slipped", "stage_moved_backward", "amount_decreased"] } } });
    expect(findings.map((f) => [f.rule, f.dealId]).sort()).toEqual([
      ["amount_decreased", smaller!.id], ["close_date_slipped", slipped!.id], ["stage_moved_backward", backward!.id],
    ]);
    expect(findings.find((f) => f.rule === "close_date_slipped")!.message).toMatch(/45 days/);
    expect(findings.find((f) => f.rule === "amount_decreased")!.message).toMatch(/75%/);
  });
});

describe("HubSpot authorization and scope", () => {
  test("two 401s while the authorization still refreshes: a retryable crm_unavailable, the connection stays ACTIVE", async () => {
    hub.deals = makeHubspotDeals(10);
    const conn = await connectedConnection(OWNER, hub, { provider: "HUBSPOT" });
    hub.failNext(2, "401");
    await expect(createHubspotClient({ connectionId: conn.id, ownerId: conn.ownerId }).fetchOpenDeals()).rejects.toMatchObject({ code: "crm_unavailable", retryable: true });
    // The refresh after the first 401, then the forced one that proved the grant alive.
    expect(hub.oauth.refreshCount()).toBe(2);
    expect(await systemDb().crmConnection.findUniqueOrThrow({ where: { id: conn.id } })).toMatchObject({ status: "ACTIVE", expiredAt: null });
  });

  test("two 401s and the forced refresh refused (app uninstalled): the connection expires and is announced", async () => {
    hub.deals = makeHubspotDeals(10);
    const conn = await connectedConnection(OWNER, hub, { provider: "HUBSPOT" });
    hub.failNext(2, "401");
    hub.oauth.onRefresh = (n) => n === 2 && hub.oauth.revokeAll();
    const { record, run } = await runReview(conn);
    expect(record.status).toBe("failed");
    expect(run).toMatchObject({ status: "FAILED", errorCode: "crm_auth_expired" });
    expect(hub.oauth.tokenRequests).toEqual([{ grantType: "refresh_token", ok: true }, { grantType: "refresh_token", ok: false }]);
    expect((await systemDb().crmConnection.findUniqueOrThrow({ where: { id: conn.id } })).status).toBe("EXPIRED");
    expect(inngest.fake.events.filter((e) => e.name === "crm/connection.expired")).toMatchObject([{ data: { connectionId: conn.id, provider: "hubspot" } }]);
  });

  test("a scope whose stages have all closed reads no deals: the run completes and no search sends IN []", async () => {
    hub.deals = makeHubspotDeals(50);
    const conn = await connectedConnection(OWNER, hub, { provider: "HUBSPOT" });
    const { run } = await runReview(conn, { stage_ids: ["closedwon"] });
    expect(run).toMatchObject({ status: "COMPLETED", dealsAnalyzed: 0 });
    expect(hub.searchBodies).toEqual([]);
    await expect(createHubspotClient({ connectionId: conn.id, ownerId: OWNER, scope: { pipelineIds: [], stageIds: ["closedlost"], ownerIds: [], minAmount: null } }).countOpenDeals()).resolves.toBe(0);
  });

  test("deleting a connection revokes its refresh token at POST /oauth/2026-03/token/revoke", async () => {
    const conn = await connectedConnection(OWNER, hub, { provider: "HUBSPOT" });
    await deleteConnection(OWNER, "user_test", conn.id);
    expect(hub.oauth.revokedTokens).toHaveLength(1);
    expect(await systemDb().crmConnection.count({ where: { id: conn.id } })).toBe(0);
  });

  test("a token refresh names the owner: another tenant's key finds no connection and spends nothing", async () => {
    const conn = await connectedConnection(OWNER, hub, { provider: "HUBSPOT", expiresInMs: 0 });
    await expect(ensureFreshToken({ connectionId: conn.id, ownerId: "org_intruder" }, { aheadMs: 60_000 })).rejects.toMatchObject({ code: "crm_auth_expired" });
    expect(hub.oauth.tokenRequests).toEqual([]);
    expect((await systemDb().crmConnection.findUniqueOrThrow({ where: { id: conn.id } })).status).toBe("ACTIVE");
  });
});

// Salesforce against its loopback fake: 2,500 opportunities over two batches plus their history,
// INVALID_SESSION_ID refreshed once then retried, REQUEST_LIMIT_EXCEEDED without re-auth, and the
// connect flow (PKCE, sandbox login host) from the consent page to stored, encrypted tokens.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { systemDb } from "@/lib/db";
import { finishConnect, startConnect } from "@/lib/crm/connect";
import { createSalesforceClient } from "@/lib/crm/salesforce";
import { api } from "@/tests/support/api";
import { resetDb } from "@/tests/support/db";
import { consent, connectedConnection, reviewRunner, useFakeCrms } from "@/tests/support/crm";
import { FAKE_SF_API, FAKE_SF_RECORD_TYPES, FakeSalesforce, makeOpportunities } from "@/tests/support/fake-salesforce";
import { inProcessInngestForFile } from "@/tests/support/in-process-inngest";

const inngest = inProcessInngestForFile();
const sf = new FakeSalesforce();
const OWNER = "org_salesforce";
const ADMIN = { userId: "user_salesforce_admin", orgId: OWNER, orgRole: "admin" } as const;

/** The workspace's audit trail as GET /api/audit shows it, newest first. */
async function auditTrail() {
  const res = await api("GET", "/api/audit", ADMIN);
  expect(res.status).toBe(200);
  return res.body.data as { action: string; actor_id: string; target_id: string; summary: string }[];
}

beforeAll(async () => {
  await sf.listen();
  useFakeCrms(null, sf);
});
afterAll(() => sf.close());
beforeEach(async () => {
  await resetDb();
  sf.reset();
});

const runReview = reviewRunner(inngest);

describe("Salesforce fetching", () => {
  test("2,500 opportunities over two batches plus history: every one, with pushes and stage entry from OpportunityHistory", async () => {
    ({ opportunities: sf.opportunities, history: sf.history } = makeOpportunities(2_500));
    const conn = await connectedConnection(OWNER, sf, { provider: "SALESFORCE", expiresInMs: null });
    const { run } = await runReview(conn);
    expect(run).toMatchObject({ status: "COMPLETED", dealsAnalyzed: 2_500 });
    // The opportunity query and the history query, each followed through nextRecordsUrl.
    expect(sf.queries.filter((q) => q.includes("FROM Opportunity "))).toHaveLength(1);
    expect(sf.queries.filter((q) => q.includes("FROM OpportunityHistory"))).toHaveLength(1);

    const deals = await createSalesforceClient({ connectionId: conn.id, ownerId: conn.ownerId }).fetchOpenDeals();
    expect(new Set(deals.map((d) => d.id)).size).toBe(2_500);
    expect(deals.every((d) => d.closeDatePushes === 1)).toBe(true);
    const second = deals[1]!; // stage Qualification, entered at its second history row
    expect(second.stageEnteredAt).toBe(new Date(Date.parse(sf.history[3]!.CreatedDate.replace("+0000", "Z"))).toISOString());
    expect(second.owner).toBe("Alan Turing");
  });

  test("a scope of one record type reads only its opportunities", async () => {
    ({ opportunities: sf.opportunities, history: sf.history } = makeOpportunities(100));
    const conn = await connectedConnection(OWNER, sf, { provider: "SALESFORCE", expiresInMs: null });
    const { run } = await runReview(conn, { pipeline_ids: [FAKE_SF_RECORD_TYPES[1]!.Id] });
    expect(run).toMatchObject({ status: "COMPLETED", dealsAnalyzed: 50 });
  });

  test("INVALID_SESSION_ID: one refresh, then the same query again", async () => {
    ({ opportunities: sf.opportunities, history: sf.history } = makeOpportunities(10));
    const conn = await connectedConnection(OWNER, sf, { provider: "SALESFORCE", expiresInMs: null });
    sf.oauth.expireAccessTokens();
    const deals = await createSalesforceClient({ connectionId: conn.id, ownerId: conn.ownerId }).fetchOpenDeals();
    expect(deals).toHaveLength(10);
    expect(sf.oauth.tokenRequests).toEqual([{ grantType: "refresh_token", ok: true }]);
  });

  test("REQUEST_LIMIT_EXCEEDED is a rate limit, not an auth problem: no token request", async () => {
    ({ opportunities: sf.opportunities, history: sf.history } = makeOpportunities(10));
    const conn = await connectedConnection(OWNER, sf, { provider: "SALESFORCE", expiresInMs: null });
    sf.failNext(1, "REQUEST_LIMIT_EXCEEDED");
    await expect(createSalesforceClient({ connectionId: conn.id, ownerId: conn.ownerId }).fetchOpenDeals()).rejects.toMatchObject({ code: "crm_rate_limited", retryable: true });
    expect(sf.oauth.tokenRequests).toEqual([]);
  });

  test("an expired refresh token: connection expired, run failed with crm_auth_expired", async () => {
    const conn = await connectedConnection(OWNER, sf, { provider: "SALESFORCE", expiresInMs: null });
    sf.oauth.revokeAll();
    const { run } = await runReview(conn);
    expect(run).toMatchObject({ status: "FAILED", errorCode: "crm_auth_expired" });
    expect((await systemDb().crmConnection.findUniqueOrThrow({ where: { id: conn.id } })).status).toBe("EXPIRED");
  });
});

describe("Salesforce connect flow", () => {
  test("sandbox login with PKCE: consent -> callback -> tokens stored encrypted; the state works once, for its tenant only", async () => {
    const { authorize_url } = await startConnect(OWNER, "salesforce", { login: "sandbox" });
    const url = new URL(authorize_url);
    expect(url.origin).toBe(sf.url);
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    const back = await consent(authorize_url);
    expect(back.pathname).toBe("/api/crm-connections/callback/salesforce");
    const query = { code: back.searchParams.get("code")!, state: back.searchParams.get("state")! };

    await expect(finishConnect("org_intruder", "salesforce", query, "user_intruder")).rejects.toMatchObject({ code: "oauth_state_invalid" });
    const outcome = await finishConnect(OWNER, "salesforce", query, ADMIN.userId);
    expect(outcome.ok).toBe(true);
    await expect(finishConnect(OWNER, "salesforce", query, ADMIN.userId)).rejects.toMatchObject({ code: "oauth_state_invalid" });

    const row = await systemDb().crmConnection.findFirstOrThrow({ where: { ownerId: OWNER } });
    expect(row).toMatchObject({ provider: "SALESFORCE", status: "ACTIVE", name: "Salesforce (sandbox)", instanceUrl: sf.url, externalAccountId: "00D000000000001EAA" });
    const stored = JSON.stringify(row);
    for (const token of sf.oauth.issued) expect(stored).not.toContain(token);
    expect(row.accessTokenEnc).toMatch(/^v1:/);
    // The audit trail: one crm.connected row by the admin who finished the flow (review 17 #3).
    expect(await auditTrail()).toEqual([
      expect.objectContaining({ action: "crm.connected", actor_id: ADMIN.userId, target_id: row.id, summary: 'Connected Salesforce "Salesforce (sandbox)"' }),
    ]);
  });

  test("a denied consent comes back as an outcome, and stores nothing", async () => {
    const { authorize_url } = await startConnect(OWNER, "salesforce", {});
    const back = await consent(authorize_url, "deny");
    const outcome = await finishConnect(OWNER, "salesforce", { state: back.searchParams.get("state")!, error: back.searchParams.get("error")! }, ADMIN.userId);
    expect(outcome).toEqual({ ok: false, code: "access_denied" });
    expect(await systemDb().crmConnection.count()).toBe(0);
  });

  test("reconnect updates the expired connection instead of adding one", async () => {
    const conn = await connectedConnection(OWNER, sf, { provider: "SALESFORCE", expiresInMs: null });
    await systemDb().crmConnection.update({ where: { id: conn.id }, data: { status: "EXPIRED", expiredAt: new Date() } });
    const { authorize_url } = await startConnect(OWNER, "salesforce", { connection_id: conn.id });
    const back = await consent(authorize_url);
    const outcome = await finishConnect(OWNER, "salesforce", { code: back.searchParams.get("code")!, state: back.searchParams.get("state")! }, ADMIN.userId);
    expect(outcome).toEqual({ ok: true, connectionId: conn.id });
    expect(await systemDb().crmConnection.findUniqueOrThrow({ where: { id: conn.id } })).toMatchObject({ status: "ACTIVE", expiredAt: null });
    expect(await systemDb().crmConnection.count()).toBe(1);
    const trail = await auditTrail();
    expect(trail.map((e) => e.action)).toEqual(["crm.reconnected"]);
    expect(trail[0]).toMatchObject({ actor_id: ADMIN.userId, target_id: conn.id });
  });

  test("My Domain must be a Salesforce My Domain host", async () => {
    await expect(startConnect(OWNER, "salesforce", { login: "my_domain", my_domain_url: "https://evil.example.com" })).rejects.toMatchObject({ code: "validation_error" });
    const { authorize_url } = await startConnect(OWNER, "salesforce", { login: "my_domain", my_domain_url: "https://acme.my.salesforce.com" });
    expect(new URL(authorize_url).origin).toBe("https://acme.my.salesforce.com");
    expect(FAKE_SF_API).toContain("v66.0");
  });
});

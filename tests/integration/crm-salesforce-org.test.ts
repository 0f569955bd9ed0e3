// Salesforce (#14 review): Opportunity described once per fetch and only existing fields selected (an
// org without record types, a multi-currency org), a session refused right after a refresh expiring
// the connection, and the login host proven: production and sandbox are two fakes here, so a test can
// tell which one the authorize link, the code exchange and the refresh went to.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { finishConnect, startConnect } from "@/lib/crm/connect";
import { decrypt } from "@/lib/crypto";
import { createSalesforceClient } from "@/lib/crm/salesforce";
import { ensureFreshToken } from "@/lib/crm/tokens";
import { systemDb } from "@/lib/db";
import { consent, connectedConnection, reviewRunner, useFakeCrms } from "@/tests/support/crm";
import { resetDb } from "@/tests/support/db";
import { FAKE_SF_RECORD_TYPES, FakeSalesforce, makeOpportunities } from "@/tests/support/fake-salesforce";
import { inProcessInngestForFile } from "@/tests/support/in-process-inngest";

const inngest = inProcessInngestForFile();
const production = new FakeSalesforce();
const sandbox = new FakeSalesforce();
const OWNER = "org_salesforce_org";

beforeAll(async () => {
  await production.listen();
  await sandbox.listen();
  useFakeCrms(null, production, sandbox);
});
afterAll(async () => {
  await production.close();
  await sandbox.close();
});
beforeEach(async () => {
  await resetDb();
  production.reset();
  sandbox.reset();
});

const runReview = reviewRunner(inngest);

const opportunityQueries = (sf: FakeSalesforce) => sf.queries.filter((q) => / FROM Opportunity /.test(q));

describe("Salesforce org shapes", () => {
  test("an org without record types: RecordTypeId is never selected and the run completes", async () => {
    ({ opportunities: production.opportunities, history: production.history } = makeOpportunities(30));
    production.org = { recordTypes: false, multiCurrency: false };
    const conn = await connectedConnection(OWNER, production, { provider: "SALESFORCE", expiresInMs: null });
    const { run } = await runReview(conn);
    expect(run).toMatchObject({ status: "COMPLETED", dealsAnalyzed: 30 });
    expect(production.describes).toBe(1);
    expect(production.queries.some((q) => q.includes("RecordTypeId"))).toBe(false);
  });

  test("record types in the scope, and the org has none: no deals, no query the org would refuse", async () => {
    ({ opportunities: production.opportunities, history: production.history } = makeOpportunities(30));
    production.org = { recordTypes: false, multiCurrency: false };
    const conn = await connectedConnection(OWNER, production, { provider: "SALESFORCE", expiresInMs: null });
    const { run } = await runReview(conn, { pipeline_ids: [FAKE_SF_RECORD_TYPES[0]!.Id] });
    expect(run).toMatchObject({ status: "COMPLETED", dealsAnalyzed: 0 });
    expect(opportunityQueries(production)).toEqual([]);
  });

  test("a multi-currency org: CurrencyIsoCode is selected and becomes the deal's currency", async () => {
    ({ opportunities: production.opportunities, history: production.history } = makeOpportunities(9));
    production.org = { recordTypes: true, multiCurrency: true };
    const conn = await connectedConnection(OWNER, production, { provider: "SALESFORCE", expiresInMs: null });
    const deals = await createSalesforceClient({ connectionId: conn.id, ownerId: OWNER }).fetchOpenDeals();
    expect(opportunityQueries(production)[0]).toMatch(/CurrencyIsoCode/);
    expect(deals.map((d) => d.currency)).toEqual(production.opportunities.map((o) => o.CurrencyIsoCode));
    expect(new Set(deals.map((d) => d.currency))).toEqual(new Set(["EUR", "USD"]));
  });

  test("a single-currency org: no CurrencyIsoCode in the query, deals in USD", async () => {
    ({ opportunities: production.opportunities, history: production.history } = makeOpportunities(6));
    const conn = await connectedConnection(OWNER, production, { provider: "SALESFORCE", expiresInMs: null });
    const deals = await createSalesforceClient({ connectionId: conn.id, ownerId: OWNER }).fetchOpenDeals();
    expect(opportunityQueries(production)[0]).not.toMatch(/CurrencyIsoCode/);
    expect(new Set(deals.map((d) => d.currency))).toEqual(new Set(["USD"]));
  });
});

describe("Salesforce sessions", () => {
  test("INVALID_SESSION_ID twice while the authorization still refreshes: a retryable crm_unavailable, the connection stays ACTIVE", async () => {
    ({ opportunities: production.opportunities, history: production.history } = makeOpportunities(5));
    const conn = await connectedConnection(OWNER, production, { provider: "SALESFORCE", expiresInMs: null });
    production.failNext(2, "401");
    await expect(createSalesforceClient({ connectionId: conn.id, ownerId: conn.ownerId }).fetchOpenDeals()).rejects.toMatchObject({ code: "crm_unavailable", retryable: true });
    expect(production.oauth.refreshCount()).toBe(2);
    expect(await systemDb().crmConnection.findUniqueOrThrow({ where: { id: conn.id } })).toMatchObject({ status: "ACTIVE", expiredAt: null });
  });

  test("INVALID_SESSION_ID twice and the forced refresh refused: the connection expires and is announced", async () => {
    ({ opportunities: production.opportunities, history: production.history } = makeOpportunities(5));
    const conn = await connectedConnection(OWNER, production, { provider: "SALESFORCE", expiresInMs: null });
    production.failNext(2, "401");
    production.oauth.onRefresh = (n) => n === 2 && production.oauth.revokeAll();
    const { run } = await runReview(conn);
    expect(run).toMatchObject({ status: "FAILED", errorCode: "crm_auth_expired" });
    expect(production.oauth.tokenRequests).toEqual([{ grantType: "refresh_token", ok: true }, { grantType: "refresh_token", ok: false }]);
    expect((await systemDb().crmConnection.findUniqueOrThrow({ where: { id: conn.id } })).status).toBe("EXPIRED");
    expect(inngest.fake.events.filter((e) => e.name === "crm/connection.expired")).toMatchObject([{ data: { connectionId: conn.id, provider: "salesforce" } }]);
  });
});

describe("Salesforce login hosts", () => {
  test.each([
    ["sandbox", sandbox, production],
    ["production", production, sandbox],
  ] as const)("%s: the authorize link, the code exchange and later refreshes all go to that host only", async (login, used, other) => {
    const { authorize_url } = await startConnect(OWNER, "salesforce", { login });
    expect(new URL(authorize_url).origin).toBe(used.url);
    const back = await consent(authorize_url);
    const outcome = await finishConnect(OWNER, "salesforce", { code: back.searchParams.get("code")!, state: back.searchParams.get("state")! }, "user_sf_admin");
    if (!outcome.ok) throw new Error(outcome.code);
    const row = await systemDb().crmConnection.findUniqueOrThrow({ where: { id: outcome.connectionId } });
    expect(row).toMatchObject({ loginUrl: used.url, name: login === "sandbox" ? "Salesforce (sandbox)" : "Salesforce" });
    await ensureFreshToken({ connectionId: row.id, ownerId: OWNER }, { rejected: decrypt(row.accessTokenEnc!) });
    expect(used.oauth.tokenRequests).toEqual([{ grantType: "authorization_code", ok: true }, { grantType: "refresh_token", ok: true }]);
    expect(other.oauth.tokenRequests).toEqual([]);
  });
});

// No CRM access or refresh token in any API response, the rendered /crm page, the OpenAPI document,
// or any log line. Over HTTP against the test stack (its fake HubSpot, FAKE_HUBSPOT_PORT): a connect
// through the consent page, then every CRM route, a forced refresh and a dead token; the tokens to
// look for are the ones the fake issued. Log lines are captured in-process around the
// same flow against a fake of this process's own.
import { beforeAll, describe, expect, test } from "vitest";
import { systemDb } from "@/lib/db";
import { finishConnect, startConnect } from "@/lib/crm/connect";
import { testConnection } from "@/lib/crm/check";
import { captureLogs } from "@/lib/log";
import { api, APP_URL, tokenFor } from "@/tests/support/api";
import { consent, useFakeCrms } from "@/tests/support/crm";
import { resetDb } from "@/tests/support/db";
import { FakeHubspot, makeHubspotDeals } from "@/tests/support/fake-hubspot";

const USER = { userId: "user_secrets", plan: "team" } as const;
const STACK_HUBSPOT = `http://127.0.0.1:${process.env.FAKE_HUBSPOT_PORT ?? 8304}`;

/** Every token the stack's fake HubSpot has issued (the first pair, refreshed ones). */
async function issuedTokens(seen: Set<string>) {
  for (const t of (await (await fetch(`${STACK_HUBSPOT}/__admin/issued-tokens`)).json()) as string[]) seen.add(t);
  return seen;
}

function expectNoToken(label: string, text: string, tokens: Set<string>) {
  expect(tokens.size).toBeGreaterThan(0);
  for (const t of tokens) expect(text.includes(t), `${label} contains a token`).toBe(false);
}

beforeAll(() => resetDb());

describe("no CRM token leaves the server", () => {
  test("API responses, the /crm page and the OpenAPI document", { timeout: 120_000 }, async () => {
    const tokens = new Set<string>();
    const texts: [string, string][] = [];
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await api(method, path, USER, body);
      texts.push([`${method} ${path}`, JSON.stringify(res.body)]);
      return res;
    };

    const auth = await call("POST", "/api/crm-connections/hubspot/authorize", {});
    expect(auth.status).toBe(200);
    expect(auth.body.authorize_url.startsWith(STACK_HUBSPOT)).toBe(true);
    const back = await consent(auth.body.authorize_url);
    const page = await fetch(`${APP_URL}${back.pathname}${back.search}`);
    texts.push(["GET callback page", await page.text()]);
    const done = await call("POST", back.pathname, Object.fromEntries(back.searchParams));
    expect(done.status).toBe(200);
    const id = new URLSearchParams(done.body.redirect_to.split("?")[1]).get("connected")!;
    await issuedTokens(tokens);

    await call("GET", "/api/crm-connections");
    await call("PATCH", `/api/crm-connections/${id}`, { name: "HubSpot (main)" });
    const options = await call("GET", `/api/crm-connections/${id}/options`);
    const created = await call("POST", "/api/scheduled-reviews", {
      name: "Scoped", crm_connection_id: id, schedule: "0 6 * * 1", timezone: "UTC", scan_scope: { pipeline_ids: [options.body.pipelines[0].id] },
    });
    expect(created.status).toBe(201);
    await call("GET", `/api/scheduled-reviews/${created.body.id}`);
    expect((await call("DELETE", `/api/crm-connections/${id}`)).status).toBe(409); // in use: listed, not deleted
    // A refresh (the token is due), then a dead refresh token: the answers still carry no token.
    await systemDb().crmConnection.update({ where: { id }, data: { tokenExpiresAt: new Date(Date.now() - 1000) } });
    expect((await call("POST", `/api/crm-connections/${id}/test`)).body.ok).toBe(true);
    await issuedTokens(tokens);
    await systemDb().crmConnection.update({ where: { id }, data: { tokenExpiresAt: new Date(Date.now() - 1000), refreshTokenEnc: (await systemDb().crmConnection.findUniqueOrThrow({ where: { id } })).accessTokenEnc } });
    const dead = await call("POST", `/api/crm-connections/${id}/test`);
    expect(dead.body).toMatchObject({ ok: false, connection: { status: "expired" } });
    await call("GET", "/api/openapi.json");

    const session = tokenFor(USER)!;
    const iat = JSON.parse(Buffer.from(session.split(".")[1]!, "base64url").toString()).iat as number;
    const html = await fetch(`${APP_URL}/crm`, { headers: { cookie: `__session=${session}; __client_uat=${iat}`, accept: "text/html", "sec-fetch-dest": "document" } });
    expect(html.status).toBe(200);
    const pageText = await html.text();
    expect(pageText).toContain("Reconnect");
    texts.push(["GET /crm", pageText]);

    expect(tokens.size).toBeGreaterThanOrEqual(3); // the first pair and the refreshed access token
    for (const [label, text] of texts) expectNoToken(label, text, tokens);
  });

  test("log lines, from connect to refresh to a dead token", async () => {
    const hub = await new FakeHubspot().listen();
    useFakeCrms(hub, null);
    hub.deals = makeHubspotDeals(20);
    const logs = captureLogs("trace");
    try {
      const owner = "org_secret_logs";
      const { authorize_url } = await startConnect(owner, "hubspot", {});
      const back = await consent(authorize_url);
      const outcome = await finishConnect(owner, "hubspot", { code: back.searchParams.get("code")!, state: back.searchParams.get("state")! }, "user_secret_logs");
      if (!outcome.ok) throw new Error(outcome.code);
      await systemDb().crmConnection.update({ where: { id: outcome.connectionId }, data: { tokenExpiresAt: new Date(0) } });
      expect((await testConnection(owner, outcome.connectionId)).ok).toBe(true);
      hub.oauth.revokeAll();
      await systemDb().crmConnection.update({ where: { id: outcome.connectionId }, data: { tokenExpiresAt: new Date(0) } });
      expect((await testConnection(owner, outcome.connectionId)).ok).toBe(false);
    } finally {
      logs.restore();
      await hub.close();
    }
    const events = logs.lines.map((l) => l.event);
    expect(events).toEqual(expect.arrayContaining(["crm.connected", "crm.token_refreshed", "crm.connection_expired"]));
    expectNoToken("log lines", JSON.stringify(logs.lines), new Set(hub.oauth.issued));
  });
});

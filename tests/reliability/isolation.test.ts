// Tenant isolation matrix (issue #11): every API operation and every page with an id, addressed with
// another tenant's ids, and with tokens that must not authenticate (none, expired, signed by a foreign
// key, alg none, wrong or missing iss/azp, garbage) claiming to be that tenant. Expected: 404 (another
// tenant's id looks exactly like a missing one) or 401 (API) / a redirect to sign in (pages), the other
// tenant's data nowhere in any answer, and nothing written.
import { beforeAll, describe, expect, it } from "vitest";
import { api, APP_URL, tokenFor } from "../support/api";
import { resetDb } from "../support/db";
import { changedTables, snapshotDb } from "../support/db-snapshot";
import { operationsOf, type Operation } from "../support/fuzz-cases";
import { seedTenant, type SeededTenant } from "../support/tenants";
import { badTokens } from "../support/tokens";

const ATTACKER = { userId: "user_iso_attacker", plan: "team" } as const;
// The monitor ingest takes the monitor's own token, not a session: tests/integration/monitors-http.test.ts covers it.
const PUBLIC = new Set(["/api/health", "/api/openapi.json", "/api/inngest", "/api/monitors/{id}/executions"]);

let victim: SeededTenant;
let attacker: SeededTenant;
let ops: Operation[];
let checks = 0;
const failures: string[] = [];

/** One check of the matrix: counted, and collected rather than thrown so the report lists them all. */
function check(ok: boolean, what: string) {
  checks += 1;
  if (!ok) failures.push(what);
}

const idIn = (template: string, t: SeededTenant) =>
  template.startsWith("/api/runs/") ? t.runId : template.startsWith("/api/analysis/") ? t.analysisId : template.startsWith("/api/alerts/") ? t.alertId : template.startsWith("/api/monitors/") ? t.monitorId : t.scheduleId;
const fill = (template: string, t: SeededTenant) =>
  (template.endsWith("/preview") ? `${template}?schedule=0+6+*+*+1&timezone=UTC` : template).replace("{id}", idIn(template, t));

/** The victim's data in an answer: its names, and for the API (which never echoes a requested id) its ids. */
const leaks = (text: string, idsToo = true) =>
  [victim.scheduleName, `Deal of ${victim.ownerId}`, ...(idsToo ? [victim.scheduleId, victim.runId, victim.analysisId, victim.connectionId, victim.alertId, victim.monitorId] : [])].some((s) => text.includes(s));
// A page echoes the requested URL (redirect_url, the router state): ids in it are the caller's own input.
const pageLeaks = (text: string) => leaks(text, false);

function bodyFor(op: Operation): unknown {
  if (op.method === "POST" && op.path === "/api/scheduled-reviews")
    return { name: "Stolen", crm_connection_id: victim.connectionId, schedule: "0 6 * * 1", timezone: "UTC", delivery_channels: [] };
  if (op.method === "PATCH" && op.path.includes("{id}")) return op.path.startsWith("/api/alerts/") ? { status: "resolved" } : { name: "pwned" };
  return undefined;
}

const pageCookie = (token: string) => {
  const iat = (() => {
    try {
      return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString()).iat ?? 1;
    } catch {
      return 1;
    }
  })();
  return { cookie: `__session=${token}; __client_uat=${iat}`, accept: "text/html", "sec-fetch-dest": "document", "sec-fetch-mode": "navigate" };
};

async function page(path: string, token: string | null) {
  const res = await fetch(`${APP_URL}${path}`, { headers: token ? pageCookie(token) : { accept: "text/html" }, redirect: "manual" });
  return { status: res.status, location: res.headers.get("location") ?? "", text: await res.text() };
}

const PAGES = (t: SeededTenant) => [`/schedule/${t.scheduleId}`, `/schedule/${t.scheduleId}/history`, `/runs/${t.runId}`, `/analysis/${t.analysisId}`];

beforeAll(async () => {
  await resetDb();
  victim = await seedTenant("user_iso_victim", "Victim pipeline 7f3a");
  attacker = await seedTenant(ATTACKER.userId, "Attacker pipeline");
  // A workspace's first signed-in request stores the plan it was seen with (lib/workspace/plan-seen.ts),
  // a session's effect rather than a request's: made here, before the snapshot the matrix compares.
  for (const who of [ATTACKER, { userId: victim.ownerId, plan: "team" } as const]) expect((await api("GET", "/api/me", who)).status).toBe(200);
  // The OAuth callback's GET is public too (the provider's redirect carries no session); its POST is not.
  ops = operationsOf((await api("GET", "/api/openapi.json", null)).body).filter(
    (o) => !PUBLIC.has(o.path) && !(o.method === "GET" && o.path.startsWith("/api/crm-connections/callback/")),
  );
});

describe("tenant isolation matrix", () => {
  it("answers every endpoint and page: 404 for another tenant's ids, 401 or sign-in for bad tokens, no data, no writes", { timeout: 240_000 }, async () => {
    const before = await snapshotDb();
    const victimWho = { userId: victim.ownerId, plan: "team" } as const;

    // 1. A signed-in tenant, the other tenant's ids, every operation.
    for (const op of ops) {
      const res = await api(op.method, fill(op.path, victim), ATTACKER, bodyFor(op));
      const text = JSON.stringify(res.body);
      const label = `attacker ${op.method} ${op.path}`;
      // Where this test has no valid body for an operation, a 400/415 (checked before the id) is no answer about the id either.
      const unknownBody = !!op.bodySchema && bodyFor(op) === undefined;
      if (op.path.includes("{id}") || (op.method === "POST" && op.path === "/api/scheduled-reviews"))
        check(
          (res.status === 404 && res.body?.error?.code === "not_found") || (unknownBody && [400, 415].includes(res.status)),
          `${label}: ${res.status} ${text.slice(0, 100)}`,
        );
      else check(res.status < 400 || res.status === 402 || (unknownBody && [400, 415].includes(res.status)), `${label}: ${res.status}`);
      check(!leaks(text), `${label}: victim data in the answer`);
    }

    // 2. Tokens that must not authenticate, each claiming to be the victim, every operation.
    for (const [kind, token] of Object.entries(badTokens(victim.ownerId))) {
      for (const op of ops) {
        const res = await api(op.method, fill(op.path, victim), token, bodyFor(op));
        const label = `${kind} ${op.method} ${op.path}`;
        check(res.status === 401 && res.body?.error?.code === "unauthorized", `${label}: ${res.status} ${JSON.stringify(res.body).slice(0, 100)}`);
        check(!leaks(JSON.stringify(res.body)) && !res.headers.get("location"), `${label}: data or a redirect in the answer`);
      }
      // The same token as a browser's session cookie on an /api navigation: still 401 JSON (defect 6).
      if (token) {
        const res = await api("GET", `/api/runs/${victim.runId}`, null, undefined, pageCookie(token));
        check(res.status === 401 && !res.headers.get("location"), `${kind} cookie navigation /api/runs: ${res.status} ${res.headers.get("location") ?? ""}`);
      }
    }

    // 3. Pages: the victim's ids (and missing or malformed ones) as the attacker are a real 404 (defect 5).
    const attackerToken = tokenFor(ATTACKER)!;
    for (const path of [...PAGES(victim), "/runs/nope", "/analysis/nope", "/schedule/nope", "/schedule/nope/history", "/runs/%00", `/runs/${"x".repeat(80)}`]) {
      const res = await page(path, attackerToken);
      check(res.status === 404, `attacker page ${path}: ${res.status}`);
      check(!pageLeaks(res.text), `attacker page ${path}: victim data in the page`);
    }
    for (const path of ["/schedule", "/crm", "/schedule/new", "/alerts", "/alerts/settings", "/monitors"]) {
      const res = await page(path, attackerToken);
      check(res.status === 200 && !pageLeaks(res.text), `attacker list page ${path}: ${res.status}`);
    }
    for (const [kind, token] of Object.entries(badTokens(victim.ownerId)))
      for (const path of [...PAGES(victim), "/schedule"]) {
        const res = await page(path, token);
        const signIn = (res.status >= 300 && res.status < 400) || res.status === 401;
        check(signIn && !/^\/(schedule|runs|analysis)/.test(res.location) && !pageLeaks(res.text), `${kind} page ${path}: ${res.status} ${res.location.slice(0, 80)}`);
      }

    // Controls: the victim itself sees its pages and its run (so the 404s above are about tenancy).
    const victimToken = tokenFor(victimWho)!;
    for (const path of PAGES(victim)) {
      const res = await page(path, victimToken);
      check(res.status === 200 && res.text.includes(victim.scheduleName), `victim page ${path}: ${res.status}`);
    }
    check((await api("GET", `/api/runs/${victim.runId}`, victimWho)).status === 200, "victim GET its run");
    check((await api("GET", `/api/runs/${attacker.runId}`, ATTACKER)).status === 200, "attacker GET its own run");

    const changes = changedTables(before, await snapshotDb());
    check(changes.length === 0, `rows changed: ${JSON.stringify(changes)}`);
    console.log(`[isolation] checks passed: ${checks - failures.length}/${checks} (${ops.length} operations x (attacker + ${Object.keys(badTokens("x")).length} bad tokens), pages x same; rows changed: ${changes.length ? "yes" : 0})`);
    for (const f of failures.slice(0, 30)) console.log(`[isolation] FAIL ${f}`);
    expect(failures).toEqual([]);
  });
});

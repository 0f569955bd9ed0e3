// Loopback stand-in for Salesforce (OAuth web server flow with PKCE + REST query), with the shapes in
// ../shared/reference/crm-apis: SOQL answers in batches of 2,000 with nextRecordsUrl, OpportunityHistory,
// RecordType / OpportunityStage / User lists, 401 INVALID_SESSION_ID, 403 REQUEST_LIMIT_EXCEEDED, 5xx.
// The org's shape is settable (`org`): without record types (RecordTypeId does not exist) or
// multi-currency (CurrencyIsoCode exists); Opportunity's describe lists the fields it has, a query
// naming any other answers 400 INVALID_FIELD, and records carry only the fields selected.
// Queries are matched on their FROM object and a small WHERE reader (IsClosed, RecordTypeId, StageName,
// OwnerId, Amount), which is all the connector sends.
import type http from "node:http";
import { FakeOAuth } from "./fake-oauth";
import { LoopbackServer, readBody, sendJson } from "./loopback-server";

export const FAKE_SALESFORCE_DEFAULT_PORT = 8305;
export const FAKE_SF_API = "/services/data/v66.0";
const BATCH = 2000;

export type SfOpportunity = Record<string, unknown> & { Id: string };
export type SfHistory = { OpportunityId: string; StageName: string; CloseDate: string; PrevCloseDate: string | null; Amount: number | null; PrevAmount: number | null; CreatedDate: string };
type Scripted = "500" | "401" | "REQUEST_LIMIT_EXCEEDED";

export const FAKE_SF_RECORD_TYPES = [{ Id: "012000000000001AAA", Name: "New Business" }, { Id: "012000000000002AAA", Name: "Renewal" }];
export const FAKE_SF_USERS = [{ Id: "005000000000001AAA", Name: "Ada Lovelace" }, { Id: "005000000000002AAA", Name: "Alan Turing" }];
const STAGES = [["Prospecting", 10, false], ["Qualification", 20, false], ["Proposal/Price Quote", 75, false], ["Negotiation/Review", 90, false], ["Closed Won", 100, true], ["Closed Lost", 0, true]] as const;
const sfId = (prefix: string, n: number) => `${prefix}${String(n).padStart(12, "0")}AAA`;
const sfDateTime = (ms: number) => new Date(ms).toISOString().replace("Z", "+0000");

/** n open opportunities (ids 006…), half New Business, half Renewal, each with two history rows (one close-date push). */
export function makeOpportunities(n: number, now = Date.now()): { opportunities: SfOpportunity[]; history: SfHistory[] } {
  const day = 86_400_000;
  const opportunities: SfOpportunity[] = [];
  const history: SfHistory[] = [];
  for (let i = 0; i < n; i++) {
    const Id = sfId("006", i + 1);
    const stage = STAGES[i % 4]![0];
    const close = new Date(now + ((i % 60) - 5) * day).toISOString().slice(0, 10);
    const user = FAKE_SF_USERS[i % 2]!;
    opportunities.push({
      attributes: { type: "Opportunity", url: `${FAKE_SF_API}/sobjects/Opportunity/${Id}` }, Id, Name: `Opportunity ${i + 1}`, StageName: stage,
      Amount: i % 9 === 0 ? null : 5000 + (i % 20) * 1000, CloseDate: close, Probability: STAGES[i % 4]![1], NextStep: i % 5 === 0 ? null : "Follow up",
      LastActivityDate: i % 3 === 0 ? null : new Date(now - (i % 40) * day).toISOString().slice(0, 10), OwnerId: user.Id,
      Owner: { attributes: { type: "User", url: `${FAKE_SF_API}/sobjects/User/${user.Id}` }, Name: user.Name },
      CreatedDate: sfDateTime(now - 90 * day), LastModifiedDate: sfDateTime(now - day), HasOpenActivity: i % 2 === 0, IsClosed: false,
      RecordTypeId: FAKE_SF_RECORD_TYPES[i % 2]!.Id, CurrencyIsoCode: i % 3 === 0 ? "EUR" : "USD",
    });
    const earlier = new Date(Date.parse(close) - 14 * day).toISOString().slice(0, 10);
    history.push(
      { OpportunityId: Id, StageName: "Prospecting", CloseDate: earlier, PrevCloseDate: null, Amount: null, PrevAmount: null, CreatedDate: sfDateTime(now - 80 * day) },
      { OpportunityId: Id, StageName: stage, CloseDate: close, PrevCloseDate: earlier, Amount: null, PrevAmount: null, CreatedDate: sfDateTime(now - 20 * day) },
    );
  }
  return { opportunities, history };
}

/** The WHERE filters the connector writes, applied to a record (fields prefixed "Opportunity." read the parent). */
function whereFilter(soql: string, parentOf: (r: Record<string, unknown>) => Record<string, unknown>): (r: Record<string, unknown>) => boolean {
  const where = soql.match(/ WHERE (.+?)(?: ORDER BY | LIMIT |$)/)?.[1] ?? "";
  const tests = where.split(" AND ").filter(Boolean).map((clause) => {
    const m = clause.match(/^(Opportunity\.)?(\w+) (=|>=|IN) (.+)$/);
    if (!m) return () => true;
    const [, parent, field, op, raw] = m;
    const get = (r: Record<string, unknown>) => (parent ? parentOf(r) : r)[field!];
    if (op === "IN") {
      const values = [...raw!.matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((x) => x[1]!.replace(/\\(.)/g, "$1"));
      return (r: Record<string, unknown>) => values.includes(String(get(r)));
    }
    if (op === ">=") return (r: Record<string, unknown>) => typeof get(r) === "number" && (get(r) as number) >= Number(raw);
    const want = raw === "false" ? false : raw === "true" ? true : raw!.replace(/^'|'$/g, "");
    return (r: Record<string, unknown>) => (get(r) ?? false) === want;
  });
  return (r) => tests.every((t) => t(r));
}

const BASE_FIELDS = ["Id", "Name", "StageName", "Amount", "CloseDate", "Probability", "NextStep", "LastActivityDate", "OwnerId", "CreatedDate", "LastModifiedDate", "HasOpenActivity", "IsClosed", "IsWon"];
export type FakeSfOrg = { recordTypes: boolean; multiCurrency: boolean };

/** A record with only the selected fields (and attributes); "Owner.Name" keeps the Owner object. */
function project(o: SfOpportunity, selected: string[]): Record<string, unknown> {
  if (!selected.length) return o;
  const out: Record<string, unknown> = { attributes: o.attributes };
  for (const f of selected) {
    const [head] = f.split(".");
    if (head! in o) out[head!] = o[head!];
  }
  return out;
}

export class FakeSalesforce extends LoopbackServer {
  org: FakeSfOrg = { recordTypes: true, multiCurrency: false };
  describes = 0;
  readonly oauth = new FakeOAuth((reason) => ({ error: "invalid_grant", error_description: reason === "refresh token is invalid, expired or revoked" ? "expired access/refresh token" : reason }));
  opportunities: SfOpportunity[] = [];
  history: SfHistory[] = [];
  slowMs = 0;
  readonly queries: string[] = [];
  private scripted: Scripted[] = [];
  private cursors = new Map<string, Record<string, unknown>[]>();
  private locators = 0;

  failNext(n: number, kind: Scripted): void {
    for (let i = 0; i < n; i++) this.scripted.push(kind);
  }

  reset(): void {
    this.oauth.reset();
    this.opportunities = [];
    this.history = [];
    this.slowMs = 0;
    this.org = { recordTypes: true, multiCurrency: false };
    this.describes = 0;
    this.queries.length = 0;
    this.scripted = [];
    this.cursors.clear();
  }

  private tokenExtras = () => ({
    instance_url: this.url, id: `${this.url}/id/00D000000000001EAA/005000000000001AAA`, issued_at: String(Date.now()),
    signature: "c2lnbmF0dXJl", scope: "api refresh_token",
  });

  protected async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://x");
    const body = await readBody(req);
    if (req.method === "GET" && url.pathname === "/services/oauth2/authorize") return this.oauth.consentPage(url, res, "Salesforce", "/services/oauth2/authorize/decide");
    if (req.method === "GET" && url.pathname === "/services/oauth2/authorize/decide") return this.oauth.decide(url, res);
    if (req.method === "POST" && url.pathname === "/services/oauth2/token") {
      const [status, answer] = this.oauth.token(new URLSearchParams(body), this.tokenExtras);
      return sendJson(res, status, answer);
    }
    if (req.method === "POST" && url.pathname === "/services/oauth2/revoke") {
      return void res.writeHead(this.oauth.revoke(new URLSearchParams(body).get("token") ?? "") ? 200 : 400).end();
    }
    // Test control for out-of-process runs (e2e): the user revoked the app in the CRM.
    if (req.method === "POST" && url.pathname === "/__admin/revoke-all") return sendJson(res, 200, (this.oauth.revokeAll(), { ok: true }));
    if (req.method === "GET" && url.pathname === "/__admin/health") return sendJson(res, 200, { ok: true });
    if (req.method === "GET" && url.pathname === "/__admin/issued-tokens") return sendJson(res, 200, this.oauth.issued);
    if (this.slowMs) await new Promise((r) => setTimeout(r, this.slowMs));
    const scripted = this.scripted.shift();
    if (scripted === "500") return sendJson(res, 500, [{ message: "An unexpected error occurred", errorCode: "UNKNOWN_EXCEPTION" }]);
    if (scripted === "401" || this.oauth.checkBearer(req.headers.authorization) !== "ok") {
      return sendJson(res, 401, [{ message: "Session expired or invalid", errorCode: "INVALID_SESSION_ID" }]);
    }
    if (scripted === "REQUEST_LIMIT_EXCEEDED") return sendJson(res, 403, [{ message: "TotalRequests Limit exceeded.", errorCode: "REQUEST_LIMIT_EXCEEDED" }]);
    const usage = { "sforce-limit-info": `api-usage=${this.queries.length}/5000` };
    if (req.method === "GET" && url.pathname === `${FAKE_SF_API}/query`) return this.query(url.searchParams.get("q") ?? "", res, usage);
    if (req.method === "GET" && url.pathname === `${FAKE_SF_API}/sobjects/Opportunity/describe`) {
      this.describes++;
      return sendJson(res, 200, { name: "Opportunity", queryable: true, fields: this.opportunityFields().map((name) => ({ name, type: name === "Id" ? "id" : "string" })) }, usage);
    }
    const more = url.pathname.match(new RegExp(`^${FAKE_SF_API}/query/([\\w-]+)$`));
    if (req.method === "GET" && more) {
      const rest = this.cursors.get(more[1]!);
      if (!rest) return sendJson(res, 400, [{ message: "invalid query locator", errorCode: "INVALID_QUERY_LOCATOR" }]);
      this.cursors.delete(more[1]!);
      return this.batch(rest, rest.length, res, usage);
    }
    sendJson(res, 404, [{ message: "The requested resource does not exist", errorCode: "NOT_FOUND" }]);
  }

  opportunityFields(): string[] {
    return [...BASE_FIELDS, ...(this.org.recordTypes ? ["RecordTypeId"] : []), ...(this.org.multiCurrency ? ["CurrencyIsoCode"] : [])];
  }

  private query(soql: string, res: http.ServerResponse, headers: Record<string, string>): void {
    this.queries.push(soql);
    const from = soql.match(/ FROM (\w+)/)?.[1];
    // Opportunity fields the org lacks, named in the SELECT list or (as Opportunity.X) in the WHERE.
    const known = new Set(this.opportunityFields());
    const selected = from === "Opportunity" ? (soql.match(/^SELECT (.+?) FROM /)?.[1] ?? "").split(",").map((f) => f.trim()) : [];
    const named = [...selected.filter((f) => !f.includes(".") && f !== "COUNT()"), ...[...soql.matchAll(/Opportunity\.(\w+)/g)].map((m) => m[1]!)];
    const unknown = named.find((f) => !known.has(f)) ?? (from === "Opportunity" ? [...soql.matchAll(/ (?:WHERE|AND) (\w+) /g)].map((m) => m[1]!).find((f) => !known.has(f)) : undefined);
    if (unknown) return sendJson(res, 400, [{ message: `No such column '${unknown}' on entity 'Opportunity'.`, errorCode: "INVALID_FIELD" }]);
    const byId = new Map(this.opportunities.map((o) => [o.Id, o]));
    const filter = whereFilter(soql, (r) => byId.get(String(r.OpportunityId)) ?? {});
    let rows: Record<string, unknown>[];
    if (from === "Opportunity") rows = this.opportunities.filter(filter).map((o) => project(o, selected));
    else if (from === "OpportunityHistory") rows = this.history.filter((h) => byId.has(h.OpportunityId)).filter(filter);
    else if (from === "RecordType") rows = FAKE_SF_RECORD_TYPES;
    else if (from === "User") rows = FAKE_SF_USERS;
    else if (from === "OpportunityStage") rows = STAGES.map(([name, p, closed], i) => ({ ApiName: name, MasterLabel: name, SortOrder: i + 1, IsClosed: closed, DefaultProbability: p }));
    else return sendJson(res, 400, [{ message: `sObject type '${from}' is not supported.`, errorCode: "INVALID_TYPE" }]);
    if (/SELECT COUNT\(\) /.test(soql)) return sendJson(res, 200, { totalSize: rows.length, done: true, records: [] }, headers);
    this.batch(rows, rows.length, res, headers);
  }

  private batch(rows: Record<string, unknown>[], total: number, res: http.ServerResponse, headers: Record<string, string>): void {
    const page = rows.slice(0, BATCH);
    const rest = rows.slice(BATCH);
    let nextRecordsUrl: string | undefined;
    if (rest.length) {
      const locator = `01gRO${String(++this.locators).padStart(10, "0")}-${BATCH}`;
      this.cursors.set(locator, rest);
      nextRecordsUrl = `${FAKE_SF_API}/query/${locator}`;
    }
    sendJson(res, 200, { totalSize: total, done: !nextRecordsUrl, ...(nextRecordsUrl ? { nextRecordsUrl } : {}), records: page }, headers);
  }
}

// Loopback stand-in for HubSpot (OAuth + CRM v3), answering with the shapes in
// ../shared/reference/crm-apis: deal search (filters, hs_object_id sort, `after` paging, 200 a page,
// 400 past 10,000 results per query), pipelines, owners, 401 EXPIRED_AUTHENTICATION, 429 with
// policyName (a real per-second search limit plus scripted ones), X-HubSpot-RateLimit-* headers on every
// API answer, the batch read with propertiesWithHistory (50 inputs a request), token revocation on the
// OAuth 2026-03 path, scripted 5xx, and a slow mode.
import type http from "node:http";
import { FakeOAuth } from "./fake-oauth";
import { LoopbackServer, readBody, sendJson } from "./loopback-server";

export const FAKE_HUBSPOT_DEFAULT_PORT = 8304;
export type HistoryEntry = { value: string | null; timestamp: string; sourceType: string };
/** `history`: a property's changes, newest first, as HubSpot answers them (the current value included). */
export type HubspotDeal = { id: string; properties: Record<string, string | null>; history?: Record<string, HistoryEntry[]> };
type Scripted = "500" | "401" | "SECONDLY" | "TEN_SECONDLY_ROLLING" | "DAILY";

const STAGES = {
  default: [["appointmentscheduled", "Appointment scheduled", "0.2"], ["qualifiedtobuy", "Qualified to buy", "0.4"], ["contractsent", "Contract sent", "0.9"], ["closedwon", "Closed won", "1.0"], ["closedlost", "Closed lost", "0.0"]],
  renewals: [["renewal-open", "Renewal open", "0.5"], ["renewal-won", "Renewal won", "1.0"]],
} as const;
export const FAKE_HUBSPOT_PIPELINES = Object.entries(STAGES).map(([id, stages], i) => ({
  id, label: id === "default" ? "Sales pipeline" : "Renewals", displayOrder: i, archived: false,
  stages: stages.map(([sid, label, p], j) => ({ id: sid, label, displayOrder: j, archived: false, metadata: { probability: p, isClosed: String(p === "1.0" || p === "0.0") } })),
}));
export const FAKE_HUBSPOT_OWNERS = [
  { id: "101", email: "maya@example.com", firstName: "Maya", lastName: "Patel", userId: 1, teams: [], archived: false },
  { id: "102", email: "jordan@example.com", firstName: "Jordan", lastName: "Lee", userId: 2, teams: [], archived: false },
];

/** n deals, ids ascending from 1001; every 5th in Renewals, every 7th closed. */
export function makeHubspotDeals(n: number, now = Date.now()): HubspotDeal[] {
  const day = 86_400_000;
  return Array.from({ length: n }, (_, i) => {
    const renewal = i % 5 === 4;
    const closed = i % 7 === 6;
    const stage = renewal ? (closed ? "renewal-won" : "renewal-open") : closed ? "closedlost" : (["appointmentscheduled", "qualifiedtobuy", "contractsent"] as const)[i % 3];
    return {
      id: String(1001 + i),
      properties: {
        dealname: `${renewal ? "Renewal" : "Deal"} ${i + 1}`, amount: i % 11 === 0 ? null : String(1000 + (i % 50) * 500),
        closedate: new Date(Math.floor(now / day) * day + ((i % 90) - 10) * day).toISOString(), dealstage: stage,
        pipeline: renewal ? "renewals" : "default", hubspot_owner_id: i % 13 === 0 ? null : FAKE_HUBSPOT_OWNERS[i % 2]!.id,
        createdate: new Date(now - (30 + (i % 100)) * day).toISOString(), hs_lastmodifieddate: new Date(now - day).toISOString(),
        notes_last_contacted: i % 4 === 0 ? null : new Date(now - (i % 30) * day).toISOString(),
        notes_next_activity_date: i % 3 === 0 ? null : new Date(now + 2 * day).toISOString(),
        num_associated_contacts: String(i % 4), hs_next_step: i % 6 === 0 ? "" : "Send proposal", deal_currency_code: "USD",
        hs_object_id: String(1001 + i), [`hs_date_entered_${stage}`]: new Date(now - (i % 60) * day).toISOString(),
      },
    };
  });
}

type Filter = { propertyName: string; operator: string; value?: string; values?: string[] };

function matches(d: HubspotDeal, f: Filter): boolean {
  const v = d.properties[f.propertyName] ?? null;
  const num = f.propertyName === "hs_object_id" || f.propertyName === "amount";
  const cmp = (a: string, b: string) => (num ? Number(a) - Number(b) : a.localeCompare(b));
  switch (f.operator) {
    case "EQ": return v === f.value;
    case "NEQ": return v !== f.value;
    case "IN": return v !== null && (f.values ?? []).includes(v);
    case "NOT_IN": return v === null || !(f.values ?? []).includes(v);
    case "GT": return v !== null && v !== "" && cmp(v, f.value!) > 0;
    case "GTE": return v !== null && v !== "" && cmp(v, f.value!) >= 0;
    case "LT": return v !== null && v !== "" && cmp(v, f.value!) < 0;
    case "LTE": return v !== null && v !== "" && cmp(v, f.value!) <= 0;
    case "HAS_PROPERTY": return v !== null && v !== "";
    default: throw new Error(`operator ${f.operator} not supported by the fake`);
  }
}

export class FakeHubspot extends LoopbackServer {
  readonly oauth = new FakeOAuth((reason) => ({ status: "BAD_REFRESH_TOKEN", message: reason, error: "invalid_grant", error_description: reason, correlationId: "c0ffee" }));
  deals: HubspotDeal[] = [];
  /** Search requests allowed per rolling second (HubSpot: 5); more answer 429 SECONDLY. */
  searchesPerSecond = 5;
  /** API calls a day (X-HubSpot-RateLimit-Daily); past it every call answers 429 DAILY. */
  dailyLimit = 500_000;
  apiCalls = 0;
  /** Inputs of each batch read, in order. */
  readonly batchReads: number[] = [];
  slowMs = 0;
  searchRequests = 0;
  /** Called before each search is answered (n counts from 1): tests expire tokens mid-run here. */
  onSearch: ((n: number) => void) | null = null;
  readonly searchBodies: Record<string, unknown>[] = [];
  readonly rateLimited: string[] = [];
  private searchTimes: number[] = [];
  private scripted: Scripted[] = [];

  /** The next n API calls (not OAuth) answer this way. */
  failNext(n: number, kind: Scripted): void {
    for (let i = 0; i < n; i++) this.scripted.push(kind);
  }

  reset(): void {
    this.oauth.reset();
    this.deals = [];
    this.searchesPerSecond = 5;
    this.dailyLimit = 500_000;
    this.apiCalls = 0;
    this.batchReads.length = 0;
    this.slowMs = 0;
    this.searchRequests = 0;
    this.searchBodies.length = 0;
    this.rateLimited.length = 0;
    this.searchTimes = [];
    this.scripted = [];
    this.onSearch = null;
  }

  protected async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://x");
    const body = await readBody(req);
    if (req.method === "GET" && url.pathname === "/oauth/authorize") return this.oauth.consentPage(url, res, "HubSpot", "/oauth/authorize/decide");
    if (req.method === "GET" && url.pathname === "/oauth/authorize/decide") return this.oauth.decide(url, res);
    if (req.method === "POST" && /^\/oauth\/(v1|2026-03)\/token$/.test(url.pathname)) {
      const [status, answer] = this.oauth.token(new URLSearchParams(body), () => ({ expires_in: this.oauth.accessTtlSeconds, hub_id: 424242 }));
      return sendJson(res, status, answer);
    }
    if (req.method === "POST" && url.pathname === "/oauth/2026-03/token/revoke") return this.revoke(new URLSearchParams(body), res);
    // Test control for out-of-process runs (e2e): the user revoked the app in the CRM.
    if (req.method === "POST" && url.pathname === "/__admin/revoke-all") return sendJson(res, 200, (this.oauth.revokeAll(), { ok: true }));
    if (req.method === "GET" && url.pathname === "/__admin/health") return sendJson(res, 200, { ok: true });
    if (req.method === "GET" && url.pathname === "/__admin/issued-tokens") return sendJson(res, 200, this.oauth.issued);
    if (this.slowMs) await new Promise((r) => setTimeout(r, this.slowMs));
    const scripted = this.scripted.shift();
    if (scripted === "500") return sendJson(res, 500, { status: "error", message: "internal error", correlationId: "c0ffee", category: "INTERNAL_ERROR" });
    const auth = scripted === "401" ? "expired" : this.oauth.checkBearer(req.headers.authorization);
    if (auth !== "ok") {
      return sendJson(res, 401, auth === "expired"
        ? { status: "error", message: "The OAuth token used to make this call expired 0 second(s) ago.", correlationId: "c0ffee", category: "EXPIRED_AUTHENTICATION", context: { "expire time": [new Date().toISOString()] } }
        : { status: "error", message: "Authentication credentials not found.", correlationId: "c0ffee", category: "INVALID_AUTHENTICATION" });
    }
    if (scripted) return this.limit(res, scripted);
    if (++this.apiCalls > this.dailyLimit) return this.limit(res, "DAILY");
    if (req.method === "GET" && url.pathname === "/crm/v3/pipelines/deals") return sendJson(res, 200, { results: FAKE_HUBSPOT_PIPELINES }, this.dailyHeaders());
    if (req.method === "GET" && url.pathname === "/crm/v3/owners/") {
      const after = Number(url.searchParams.get("after") ?? 0);
      const limit = Math.min(Number(url.searchParams.get("limit") ?? 100), 500);
      const page = FAKE_HUBSPOT_OWNERS.slice(after, after + limit);
      return sendJson(res, 200, { results: page, ...(after + limit < FAKE_HUBSPOT_OWNERS.length ? { paging: { next: { after: String(after + limit) } } } : {}) }, this.dailyHeaders());
    }
    if (req.method === "POST" && url.pathname === "/crm/v3/objects/deals/search") return this.search(JSON.parse(body || "{}"), res);
    if (req.method === "POST" && url.pathname === "/crm/v3/objects/deals/batch/read") return this.batchRead(JSON.parse(body || "{}"), res);
    sendJson(res, 404, { status: "error", message: `No route ${req.method} ${url.pathname}`, correlationId: "c0ffee", category: "OBJECT_NOT_FOUND" });
  }

  private limit(res: http.ServerResponse, policyName: string): void {
    this.rateLimited.push(policyName);
    const message = policyName === "DAILY" ? "You have reached your daily limit." : policyName === "SECONDLY" ? "You have reached your secondly limit." : "You have reached your ten_secondly_rolling limit.";
    sendJson(res, 429, { status: "error", message, errorType: "RATE_LIMIT", correlationId: "c0ffee", policyName }, { "retry-after": "1", ...this.dailyHeaders() });
  }

  private dailyHeaders(): Record<string, string> {
    return { "x-hubspot-ratelimit-daily": String(this.dailyLimit), "x-hubspot-ratelimit-daily-remaining": String(Math.max(0, this.dailyLimit - this.apiCalls)) };
  }

  /** POST /oauth/2026-03/token/revoke (form: client_id, client_secret, token, token_type_hint). */
  private revoke(form: URLSearchParams, res: http.ServerResponse): void {
    if (form.get("client_id") !== this.oauth.clientId || form.get("client_secret") !== this.oauth.clientSecret) {
      return sendJson(res, 401, { message: "Invalid client credentials", correlationId: "c0ffee", category: "INVALID_AUTHENTICATION" });
    }
    if (!this.oauth.revoke(form.get("token") ?? "")) return sendJson(res, 400, { message: "Token not found", correlationId: "c0ffee", category: "VALIDATION_ERROR" });
    res.writeHead(204).end();
  }

  /** POST batch/read: 100 inputs a request, 50 with propertiesWithHistory; a property's history newest first. */
  private batchRead(q: { inputs?: { id: string }[]; properties?: string[]; propertiesWithHistory?: string[] }, res: http.ServerResponse): void {
    const inputs = q.inputs ?? [];
    const withHistory = q.propertiesWithHistory ?? [];
    this.batchReads.push(inputs.length);
    const max = withHistory.length ? 50 : 100;
    if (inputs.length > max) return sendJson(res, 400, { status: "error", message: `Batch read accepts at most ${max} inputs`, correlationId: "c0ffee", category: "VALIDATION_ERROR" }, this.dailyHeaders());
    const byId = new Map(this.deals.map((d) => [d.id, d]));
    const results = inputs.flatMap(({ id }) => {
      const d = byId.get(id);
      if (!d) return [];
      const history = Object.fromEntries(withHistory.map((p) => {
        const current = d.properties[p] ?? null;
        return [p, d.history?.[p] ?? (current === null ? [] : [{ value: current, timestamp: d.properties.createdate ?? new Date(0).toISOString(), sourceType: "CRM_UI" }])];
      }));
      return [{
        id, properties: Object.fromEntries((q.properties ?? []).map((p) => [p, d.properties[p] ?? null])), propertiesWithHistory: history,
        createdAt: d.properties.createdate, updatedAt: d.properties.hs_lastmodifieddate, archived: false,
      }];
    });
    const now = new Date().toISOString();
    sendJson(res, 200, { status: "COMPLETE", results, startedAt: now, completedAt: now }, this.dailyHeaders());
  }

  private search(q: { filterGroups?: { filters: Filter[] }[]; properties?: string[]; limit?: number; after?: string; sorts?: unknown[] }, res: http.ServerResponse): void {
    this.searchRequests++;
    this.searchBodies.push(q);
    this.onSearch?.(this.searchRequests);
    const now = Date.now();
    this.searchTimes = this.searchTimes.filter((t) => now - t < 1000);
    if (this.searchTimes.length >= this.searchesPerSecond) return this.limit(res, "SECONDLY");
    this.searchTimes.push(now);
    const headers = {
      ...this.dailyHeaders(), "x-hubspot-ratelimit-secondly": String(this.searchesPerSecond),
      "x-hubspot-ratelimit-secondly-remaining": String(Math.max(0, this.searchesPerSecond - this.searchTimes.length)),
    };
    const empty = (q.filterGroups ?? []).flatMap((g) => g.filters).find((f) => (f.operator === "IN" || f.operator === "NOT_IN") && !f.values?.length);
    if (empty) return sendJson(res, 400, { status: "error", message: `There was a problem with the request: ${empty.operator} on ${empty.propertyName} needs values`, correlationId: "c0ffee", category: "VALIDATION_ERROR" }, headers);
    const limit = q.limit ?? 10;
    if (limit > 200) return sendJson(res, 400, { status: "error", message: "limit must be at most 200", correlationId: "c0ffee", category: "VALIDATION_ERROR" });
    const offset = Number(q.after ?? 0);
    if (offset + limit > 10_000) {
      return sendJson(res, 400, { status: "error", message: "There was a problem with the request.", correlationId: "c0ffee", category: "VALIDATION_ERROR", errors: [{ message: "Search results are limited to 10,000 per query" }] });
    }
    const groups = q.filterGroups ?? [];
    const hits = this.deals
      .filter((d) => groups.length === 0 || groups.some((g) => g.filters.every((f) => matches(d, f))))
      .sort((a, b) => Number(a.id) - Number(b.id));
    const page = hits.slice(offset, offset + limit);
    const props = new Set(["hs_object_id", "createdate", "hs_lastmodifieddate", ...(q.properties ?? [])]);
    sendJson(res, 200, {
      total: hits.length,
      results: page.map((d) => ({
        id: d.id, properties: Object.fromEntries([...props].map((p) => [p, d.properties[p] ?? null])),
        createdAt: d.properties.createdate, updatedAt: d.properties.hs_lastmodifieddate, archived: false,
      })),
      ...(offset + limit < hits.length ? { paging: { next: { after: String(offset + limit), link: `${this.url}/crm/v3/objects/deals/search?after=${offset + limit}` } } } : {}),
    }, headers);
  }
}

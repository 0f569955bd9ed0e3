import "server-only";
import { crmRequest, retryAfterMs, sleep } from "./http";
import { DEAL_PROPERTIES, mapHubspotDeal, mapPipelines, ownerName, type HubspotDealRecord, type HubspotPipeline, type HubspotStage } from "./hubspot-map";
import { hubspotApiBase } from "./providers";
import { ALL_OPEN_DEALS, type ScanScope } from "./scope";
import { ensureFreshToken, storedToken } from "./tokens";
import { CrmError, type CrmClient, type Deal, type FetchDealsOptions } from "./types";

// HubSpot CRM v3: deal search paged by `after` (200 a page), split past the 10,000-results-per-query
// cap on hs_object_id, at most 5 searches a second, 429s waited out (DAILY fails the run), pipelines
// and owners read once per fetch. Tokens are refreshed ahead of expiry (HubSpot: a 401 is not the signal).

export const HUBSPOT_PAGE_SIZE = 200;
export const HUBSPOT_QUERY_CAP = 10_000;
export const HUBSPOT_SEARCHES_PER_SECOND = 5;
/** Refresh when the token has less than this left: a page fetch must not start on a dying token. */
export const HUBSPOT_REFRESH_AHEAD_MS = 5 * 60_000;
const MAX_WAITS = 8;
const MAX_SERVER_RETRIES = 3;

export type HubspotClientOptions = {
  connectionId: string;
  scope?: ScanScope;
  /** The account's search limit (default HubSpot's 5/s); tests against a stricter fake pass theirs. */
  searchesPerSecond?: number;
  /** Back-off base for 5xx answers (ms). */
  retryBaseMs?: number;
};

export type HubspotLists = { pipelines: HubspotPipeline[]; owners: { id: string; name: string }[] };

export interface HubspotClient extends CrmClient {
  lists(opts?: FetchDealsOptions): Promise<HubspotLists>;
  /** A cheap authenticated call: the number of open deals in scope. */
  countOpenDeals(opts?: FetchDealsOptions): Promise<number>;
}

type Json = Record<string, unknown>;

export function createHubspotClient(o: HubspotClientOptions): HubspotClient {
  const scope = o.scope ?? ALL_OPEN_DEALS;
  const base = hubspotApiBase();
  const searchGapMs = 1000 / (o.searchesPerSecond ?? HUBSPOT_SEARCHES_PER_SECOND);
  let token: { accessToken: string; expiresAt: number | null } | null = null;
  let lastSearchAt = 0;

  async function accessToken(): Promise<string> {
    if (!token) {
      const t = await storedToken(o.connectionId);
      token = { accessToken: t.accessToken, expiresAt: t.expiresAt?.getTime() ?? null };
    }
    if (token.expiresAt === null || token.expiresAt - Date.now() <= HUBSPOT_REFRESH_AHEAD_MS) {
      const fresh = await ensureFreshToken(o.connectionId, { aheadMs: HUBSPOT_REFRESH_AHEAD_MS });
      // A provider that names no expiry: use the token until it is refused.
      token = { accessToken: fresh.accessToken, expiresAt: fresh.expiresAt?.getTime() ?? Number.MAX_SAFE_INTEGER };
    }
    return token.accessToken;
  }

  async function call(label: string, path: string, init: { method?: "GET" | "POST"; body?: Json; search?: boolean }, signal?: AbortSignal): Promise<Json> {
    let waits = 0;
    let serverErrors = 0;
    let reauthed = false;
    for (;;) {
      if (init.search) {
        const wait = lastSearchAt + searchGapMs - Date.now();
        if (wait > 0) await sleep(wait, signal);
        lastSearchAt = Date.now();
      }
      const bearer = await accessToken();
      const res = await crmRequest(label, `${base}${path}`, {
        method: init.method ?? "GET",
        headers: { authorization: `Bearer ${bearer}`, accept: "application/json", ...(init.body ? { "content-type": "application/json" } : {}) },
        body: init.body ? JSON.stringify(init.body) : undefined,
        signal,
      });
      const body = (res.body ?? {}) as Json;
      if (res.status >= 200 && res.status < 300) return body;
      if (res.status === 429) {
        const policy = String(body.policyName ?? "");
        if (policy === "DAILY") {
          throw new CrmError("crm_rate_limited", "HubSpot's daily API limit for this account is used up; runs work again after it resets at midnight in the account's time zone", { retryable: false });
        }
        if (++waits > MAX_WAITS) throw new CrmError("crm_rate_limited", `HubSpot kept answering 429 (${policy || "rate limit"})`, { retryAfterMs: 10_000 });
        await sleep(retryAfterMs(res.headers, policy === "TEN_SECONDLY_ROLLING" ? 10_000 : 1_000), signal);
        continue;
      }
      if (res.status === 401 && !reauthed) {
        // The token died early (revoked, clock skew): one refresh, then the call again.
        reauthed = true;
        const fresh = await ensureFreshToken(o.connectionId, { rejected: bearer });
        token = { accessToken: fresh.accessToken, expiresAt: fresh.expiresAt?.getTime() ?? Number.MAX_SAFE_INTEGER };
        continue;
      }
      if (res.status === 401) throw new CrmError("crm_auth_expired", "HubSpot refuses this connection's token; reconnect it on the CRM page");
      if (res.status >= 500) {
        if (++serverErrors > MAX_SERVER_RETRIES) throw new CrmError("crm_unavailable", `${label}: HubSpot answered ${res.status}`);
        await sleep((o.retryBaseMs ?? 500) * 2 ** (serverErrors - 1), signal);
        continue;
      }
      const message = typeof body.message === "string" ? body.message.slice(0, 300) : `status ${res.status}`;
      throw new CrmError("crm_bad_response", `${label}: HubSpot refused the request (${res.status}: ${message})`);
    }
  }

  async function pipelines(signal?: AbortSignal): Promise<HubspotPipeline[]> {
    return mapPipelines(await call("HubSpot pipelines", "/crm/v3/pipelines/deals", {}, signal));
  }

  async function owners(signal?: AbortSignal): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    let after: string | undefined;
    do {
      const q = new URLSearchParams({ limit: "500", archived: "false", ...(after ? { after } : {}) });
      const page = await call("HubSpot owners", `/crm/v3/owners/?${q}`, {}, signal);
      for (const r of (page.results as Json[] | undefined) ?? []) {
        const name = ownerName(r);
        if (typeof r.id === "string" && name) out.set(r.id, name);
      }
      after = ((page.paging as Json | undefined)?.next as Json | undefined)?.after as string | undefined;
    } while (after);
    return out;
  }

  /** Filters for the scope; closed stages are left out by id (the pipelines say which are closed). */
  function filters(stages: HubspotStage[], afterId: string | null): Json[] {
    const f: Json[] = [];
    const closed = stages.filter((s) => s.isClosed).map((s) => s.id);
    if (scope.stageIds.length) f.push({ propertyName: "dealstage", operator: "IN", values: scope.stageIds.filter((id) => !closed.includes(id)) });
    else if (closed.length) f.push({ propertyName: "dealstage", operator: "NOT_IN", values: closed });
    if (scope.pipelineIds.length) f.push({ propertyName: "pipeline", operator: "IN", values: scope.pipelineIds });
    if (scope.ownerIds.length) f.push({ propertyName: "hubspot_owner_id", operator: "IN", values: scope.ownerIds });
    if (scope.minAmount !== null) f.push({ propertyName: "amount", operator: "GTE", value: String(scope.minAmount) });
    if (afterId !== null) f.push({ propertyName: "hs_object_id", operator: "GT", value: afterId });
    return f;
  }

  async function searchAll(stages: HubspotStage[], stageIndex: Map<string, HubspotStage>, ownerNames: Map<string, string>, signal?: AbortSignal): Promise<Deal[]> {
    const properties = [...DEAL_PROPERTIES, ...stages.filter((s) => !s.isClosed).map((s) => `hs_date_entered_${s.id}`)];
    const seen = new Set<string>();
    const deals: Deal[] = [];
    let afterId: string | null = null;
    for (;;) {
      // One query reads at most HUBSPOT_QUERY_CAP results; the next one starts past the last id read.
      let after: string | undefined;
      let readInQuery = 0;
      let lastId: string | null = null;
      let more = false;
      do {
        const body: Json = {
          filterGroups: [{ filters: filters(stages, afterId) }],
          sorts: [{ propertyName: "hs_object_id", direction: "ASCENDING" }],
          properties,
          limit: HUBSPOT_PAGE_SIZE,
          ...(after ? { after } : {}),
        };
        const page = await call("HubSpot deal search", "/crm/v3/objects/deals/search", { method: "POST", body, search: true }, signal);
        const results = (page.results as HubspotDealRecord[] | undefined) ?? [];
        for (const r of results) {
          if (typeof r?.id !== "string") throw new CrmError("crm_bad_response", "HubSpot returned a deal without an id");
          lastId = r.id;
          if (seen.has(r.id)) continue;
          seen.add(r.id);
          deals.push(mapHubspotDeal(r, stageIndex, ownerNames));
        }
        readInQuery += results.length;
        after = ((page.paging as Json | undefined)?.next as Json | undefined)?.after as string | undefined;
        more = after !== undefined && results.length > 0;
      } while (more && readInQuery + HUBSPOT_PAGE_SIZE <= HUBSPOT_QUERY_CAP);
      if (!more || lastId === null) return deals;
      afterId = lastId;
    }
  }

  async function lookups(signal?: AbortSignal) {
    const pipes = await pipelines(signal);
    const inScope = scope.pipelineIds.length ? pipes.filter((p) => scope.pipelineIds.includes(p.id)) : pipes;
    const stages = inScope.flatMap((p) => p.stages);
    return { pipes, stages, stageIndex: new Map(pipes.flatMap((p) => p.stages).map((s) => [s.id, s])), ownerNames: await owners(signal) };
  }

  return {
    async fetchOpenDeals(opts: FetchDealsOptions = {}) {
      const { stages, stageIndex, ownerNames } = await lookups(opts.signal);
      return searchAll(stages, stageIndex, ownerNames, opts.signal);
    },
    async lists(opts: FetchDealsOptions = {}) {
      const { pipes, ownerNames } = await lookups(opts.signal);
      return { pipelines: pipes, owners: [...ownerNames].map(([id, name]) => ({ id, name })) };
    },
    async countOpenDeals(opts: FetchDealsOptions = {}) {
      const pipes = await pipelines(opts.signal);
      const body = { filterGroups: [{ filters: filters(pipes.flatMap((p) => p.stages), null) }], properties: ["hs_object_id"], limit: 1 };
      const page = await call("HubSpot deal search", "/crm/v3/objects/deals/search", { method: "POST", body, search: true }, opts.signal);
      return Number(page.total) || 0;
    },
  };
}

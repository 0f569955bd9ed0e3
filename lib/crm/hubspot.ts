import "server-only";
import { crmRequest, retryAfterMs, sleep } from "./http";
import { HISTORY_BATCH_SIZE, HISTORY_PROPERTIES, hubspotHistoryFields, type HubspotHistory } from "./hubspot-history";
import { DEAL_PROPERTIES, mapHubspotDeal, mapPipelines, ownerName, type HubspotDealRecord, type HubspotPipeline, type HubspotStage } from "./hubspot-map";
import { remember, secondlyWindowLeftMs } from "./hubspot-limits";
import { deferSlots, waitForSlot, type Pace, type PaceKind } from "./pacing";
import { hubspotApiBase } from "./providers";
import { ALL_OPEN_DEALS, type ScanScope } from "./scope";
import { ensureFreshToken, refusedTwice, storedToken, type ConnectionKey, type FreshToken, type LiveToken } from "./tokens";
import { CrmError, type CrmClient, type Deal, type FetchDealsOptions } from "./types";

// HubSpot CRM v3: deal search paged by `after` (200 a page), split past the 10,000-results-per-query
// cap on hs_object_id, the deals' property history by batch read, pipelines and owners read once per
// fetch. Calls are paced per connection in Postgres (lib/crm/pacing.ts: every run and instance shares
// the budget; a search takes a search slot and a call slot, as HubSpot's 10-second limit counts it), slowed further by the X-HubSpot-RateLimit-* headers; 429s are waited out (DAILY fails
// the run). Tokens are refreshed ahead of expiry (HubSpot: a 401 is not the signal).

export const HUBSPOT_PAGE_SIZE = 200;
export const HUBSPOT_QUERY_CAP = 10_000;
export const HUBSPOT_SEARCHES_PER_SECOND = 5;
/**
 * Other calls, against the burst limit of public apps (about 100 per 10 s): 20 at once, then 6-7 a
 * second (with the margin), so no 10 seconds hold more than about 90.
 */
export const HUBSPOT_CALLS_PER_SECOND = 8;
const HUBSPOT_CALL_BURST = 20;
/** Refresh when the token has less than this left: a page fetch must not start on a dying token. */
export const HUBSPOT_REFRESH_AHEAD_MS = 5 * 60_000;
/** Added to every gap: requests spaced exactly 1/rate apart can arrive closer together. */
const GAP_MARGIN_MS = 25;
const MAX_WAITS = 8;
const MAX_SERVER_RETRIES = 3;
const DAILY_MESSAGE = "HubSpot's daily API limit for this account is used up; runs work again after it resets at midnight in the account's time zone";

export type HubspotClientOptions = ConnectionKey & {
  scope?: ScanScope;
  /** The account's search limit (default HubSpot's 5/s); tests against a stricter or looser fake pass theirs. */
  searchesPerSecond?: number;
  callsPerSecond?: number;
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
const headerNumber = (h: Headers, name: string) => {
  const v = h.get(name);
  const n = v === null || v.trim() === "" ? NaN : Number(v);
  return Number.isFinite(n) ? n : null;
};

export function createHubspotClient(o: HubspotClientOptions): HubspotClient {
  const scope = o.scope ?? ALL_OPEN_DEALS;
  const base = hubspotApiBase();
  const pace: Record<PaceKind, Pace> = {
    "hubspot-search": { gapMs: 1000 / (o.searchesPerSecond ?? HUBSPOT_SEARCHES_PER_SECOND) + GAP_MARGIN_MS, burst: 1 },
    "hubspot-call": { gapMs: 1000 / (o.callsPerSecond ?? HUBSPOT_CALLS_PER_SECOND) + GAP_MARGIN_MS, burst: HUBSPOT_CALL_BURST },
  };
  let token: { accessToken: string; expiresAt: number | null } | null = null;
  let dailySpent = false;
  const sent: Record<PaceKind, number[]> = { "hubspot-search": [], "hubspot-call": [] };

  /** Use this token from now on; a provider that names no expiry: use it until it is refused. */
  function adopt<T extends LiveToken>(t: T): T {
    token = { accessToken: t.accessToken, expiresAt: t.expiresAt?.getTime() ?? Number.MAX_SAFE_INTEGER };
    return t;
  }

  async function accessToken(): Promise<string> {
    if (!token) {
      const t = await storedToken(o);
      token = { accessToken: t.accessToken, expiresAt: t.expiresAt?.getTime() ?? null };
    }
    if (token.expiresAt === null || token.expiresAt - Date.now() <= HUBSPOT_REFRESH_AHEAD_MS) {
      return adopt(await ensureFreshToken(o, { aheadMs: HUBSPOT_REFRESH_AHEAD_MS })).accessToken;
    }
    return token.accessToken;
  }

  /**
   * What the rate-limit headers say: a lower per-second limit slows this client (no burst above it
   * either); none left defers everyone's next slot until the rolling second frees.
   */
  async function heed(kind: PaceKind, h: Headers): Promise<void> {
    const perSecond = headerNumber(h, "x-hubspot-ratelimit-secondly");
    if (perSecond !== null && perSecond > 0) {
      pace[kind].gapMs = Math.max(pace[kind].gapMs, 1000 / perSecond + GAP_MARGIN_MS);
      pace[kind].burst = Math.max(1, Math.min(pace[kind].burst, Math.floor(perSecond)));
    }
    if (headerNumber(h, "x-hubspot-ratelimit-secondly-remaining") === 0) {
      const left = secondlyWindowLeftMs(sent[kind], perSecond ?? Math.round(1000 / pace[kind].gapMs), Date.now());
      if (left > 0) await deferSlots(kind, o.connectionId, left + GAP_MARGIN_MS, pace[kind]);
    }
    if (headerNumber(h, "x-hubspot-ratelimit-daily-remaining") === 0) dailySpent = true;
  }

  /**
   * A slot of this kind; a search also takes a call slot (HubSpot's 10-second limit counts every call),
   * first, so the search slot is the last wait and searches leave their own gap apart.
   */
  async function slot(kind: PaceKind, signal?: AbortSignal): Promise<void> {
    if (kind === "hubspot-search") await waitForSlot("hubspot-call", o.connectionId, pace["hubspot-call"], signal);
    await waitForSlot(kind, o.connectionId, pace[kind], signal);
    remember(sent[kind], Date.now());
  }

  async function call(label: string, path: string, init: { method?: "GET" | "POST"; body?: Json; search?: boolean }, signal?: AbortSignal): Promise<Json> {
    const kind: PaceKind = init.search ? "hubspot-search" : "hubspot-call";
    let waits = 0;
    let serverErrors = 0;
    let reauthed: FreshToken | null = null;
    for (;;) {
      if (dailySpent) throw new CrmError("crm_rate_limited", DAILY_MESSAGE, { retryable: false });
      const bearer = await accessToken();
      await slot(kind, signal);
      const res = await crmRequest(label, `${base}${path}`, {
        method: init.method ?? "GET",
        headers: { authorization: `Bearer ${bearer}`, accept: "application/json", ...(init.body ? { "content-type": "application/json" } : {}) },
        body: init.body ? JSON.stringify(init.body) : undefined,
        signal,
      });
      await heed(kind, res.headers);
      const body = (res.body ?? {}) as Json;
      if (res.status >= 200 && res.status < 300) return body;
      if (res.status === 429) {
        const policy = String(body.policyName ?? "");
        if (policy === "DAILY") throw new CrmError("crm_rate_limited", DAILY_MESSAGE, { retryable: false });
        if (++waits > MAX_WAITS) throw new CrmError("crm_rate_limited", `HubSpot kept answering 429 (${policy || "rate limit"})`, { retryAfterMs: 10_000 });
        const waitMs = retryAfterMs(res.headers, policy === "TEN_SECONDLY_ROLLING" ? 10_000 : 1_000);
        await deferSlots(kind, o.connectionId, waitMs, pace[kind]);
        await sleep(waitMs, signal);
        continue;
      }
      if (res.status === 401) {
        // Refused again: only a refused forced refresh expires the connection (see refusedTwice).
        if (reauthed) throw await refusedTwice(o, "HubSpot", reauthed);
        // The token died early (revoked, clock skew): one refresh, then the call again.
        reauthed = adopt(await ensureFreshToken(o, { rejected: bearer }));
        continue;
      }
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

  /**
   * Filters for the scope; closed stages are left out by id (the pipelines say which are closed). Null
   * when the scope leaves no value to match (its stages all closed since it was saved): no deal is in
   * scope, and HubSpot would refuse an IN with no values.
   */
  function filters(stages: HubspotStage[], afterId: string | null): Json[] | null {
    const f: Json[] = [];
    const closed = new Set(stages.filter((s) => s.isClosed).map((s) => s.id));
    const inList = (propertyName: string, values: string[]) => (values.length ? f.push({ propertyName, operator: "IN", values }) : null);
    if (scope.stageIds.length && inList("dealstage", scope.stageIds.filter((id) => !closed.has(id))) === null) return null;
    if (!scope.stageIds.length && closed.size) f.push({ propertyName: "dealstage", operator: "NOT_IN", values: [...closed] });
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
      const f = filters(stages, afterId);
      if (f === null) return deals;
      // One query reads at most HUBSPOT_QUERY_CAP results; the next one starts past the last id read.
      let after: string | undefined;
      let readInQuery = 0;
      let lastId: string | null = null;
      let more = false;
      do {
        const body: Json = {
          filterGroups: [{ filters: f }],
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

  /** The deals' close date, amount and stage history (batch read, 50 a request), as plain fields on each deal. */
  async function addHistory(deals: Deal[], stageIndex: Map<string, HubspotStage>, signal?: AbortSignal): Promise<void> {
    for (let i = 0; i < deals.length; i += HISTORY_BATCH_SIZE) {
      const chunk = deals.slice(i, i + HISTORY_BATCH_SIZE);
      const body = { inputs: chunk.map((d) => ({ id: d.id })), properties: ["hs_object_id"], propertiesWithHistory: HISTORY_PROPERTIES };
      const page = await call("HubSpot deal history", "/crm/v3/objects/deals/batch/read?archived=false", { method: "POST", body }, signal);
      const byId = new Map<string, HubspotHistory>();
      for (const r of (page.results as Json[] | undefined) ?? []) {
        if (typeof r.id === "string") byId.set(r.id, (r.propertiesWithHistory ?? {}) as HubspotHistory);
      }
      for (const d of chunk) if (byId.has(d.id)) Object.assign(d, hubspotHistoryFields(byId.get(d.id), stageIndex));
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
      const deals = await searchAll(stages, stageIndex, ownerNames, opts.signal);
      await addHistory(deals, stageIndex, opts.signal);
      return deals;
    },
    async lists(opts: FetchDealsOptions = {}) {
      const { pipes, ownerNames } = await lookups(opts.signal);
      return { pipelines: pipes, owners: [...ownerNames].map(([id, name]) => ({ id, name })) };
    },
    async countOpenDeals(opts: FetchDealsOptions = {}) {
      const pipes = await pipelines(opts.signal);
      const f = filters(pipes.flatMap((p) => p.stages), null);
      if (f === null) return 0;
      const body = { filterGroups: [{ filters: f }], properties: ["hs_object_id"], limit: 1 };
      const page = await call("HubSpot deal search", "/crm/v3/objects/deals/search", { method: "POST", body, search: true }, opts.signal);
      return Number(page.total) || 0;
    },
  };
}

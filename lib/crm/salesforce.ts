import "server-only";
import { crmRequest, sleep } from "./http";
import { SALESFORCE_API_VERSION } from "./providers";
import { mapOpportunity, opportunityFields, soqlString, summarizeHistory, type SfHistoryRow, type SfRecord } from "./salesforce-map";
import { ALL_OPEN_DEALS, type ScanScope } from "./scope";
import { ensureFreshToken, refusedTwice, storedToken, type ConnectionKey, type FreshToken, type LiveToken } from "./tokens";
import { CrmError, type CrmClient, type Deal, type FetchDealsOptions } from "./types";

// Salesforce REST: SOQL on open Opportunities followed through nextRecordsUrl, OpportunityHistory for
// close-date pushes and stage entry, owner names through Owner.Name. A 401 INVALID_SESSION_ID refreshes
// the token once (serialised per connection) and retries; REQUEST_LIMIT_EXCEEDED backs off without re-auth.
// Opportunity is described once per fetch: only fields the org has are selected (no RecordTypeId in an
// org without record types; CurrencyIsoCode in a multi-currency org).

const API = `/services/data/${SALESFORCE_API_VERSION}`;
const MAX_SERVER_RETRIES = 3;
/** Salesforce's org-wide 24-hour limit: retrying within the hour is pointless. */
const LIMIT_RETRY_AFTER_MS = 15 * 60_000;

export type SalesforceClientOptions = ConnectionKey & { scope?: ScanScope; retryBaseMs?: number };
export type SalesforceLists = {
  pipelines: { id: string; label: string }[];
  stages: { id: string; label: string; order: number; probability: number | null; isClosed: boolean }[];
  owners: { id: string; name: string }[];
};
export interface SalesforceClient extends CrmClient {
  lists(opts?: FetchDealsOptions): Promise<SalesforceLists>;
  countOpenDeals(opts?: FetchDealsOptions): Promise<number>;
}

type SfError = { errorCode?: string; message?: string };
const SF_ID = /^[a-zA-Z0-9]{15,18}$/;

/**
 * The SOQL filter for the scope; `on` = "Opportunity." filters OpportunityHistory rows by their
 * opportunity. Null when nothing can match: record types in the scope, and the org has none.
 */
export function opportunityWhere(scope: ScanScope, on = "", hasRecordTypes = true): string | null {
  if (scope.pipelineIds.length && !hasRecordTypes) return null;
  const parts = [`${on}IsClosed = false`];
  const ids = (list: string[]) => list.filter((v) => SF_ID.test(v)).map(soqlString).join(", ");
  if (scope.pipelineIds.length) parts.push(`${on}RecordTypeId IN (${ids(scope.pipelineIds) || "''"})`);
  if (scope.stageIds.length) parts.push(`${on}StageName IN (${scope.stageIds.map(soqlString).join(", ")})`);
  if (scope.ownerIds.length) parts.push(`${on}OwnerId IN (${ids(scope.ownerIds) || "''"})`);
  if (scope.minAmount !== null) parts.push(`${on}Amount >= ${Number(scope.minAmount)}`);
  return parts.join(" AND ");
}

export function createSalesforceClient(o: SalesforceClientOptions): SalesforceClient {
  const scope = o.scope ?? ALL_OPEN_DEALS;
  let token: LiveToken | null = null;

  async function get(label: string, pathAndQuery: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
    let reauthed: FreshToken | null = null;
    let serverErrors = 0;
    for (;;) {
      token ??= await storedToken(o);
      if (!token.instanceUrl) throw new CrmError("crm_bad_response", "The Salesforce connection has no instance URL; reconnect it");
      const res = await crmRequest(label, `${token.instanceUrl}${pathAndQuery}`, {
        headers: { authorization: `Bearer ${token.accessToken}`, accept: "application/json" },
        signal,
      });
      if (res.status >= 200 && res.status < 300) return (res.body ?? {}) as Record<string, unknown>;
      const err: SfError = (Array.isArray(res.body) ? res.body[0] : res.body) ?? {};
      if (res.status === 401) {
        // Refused again: only a refused forced refresh expires the connection (see refusedTwice).
        if (reauthed) throw await refusedTwice(o, "Salesforce", reauthed);
        token = reauthed = await ensureFreshToken(o, { rejected: token.accessToken });
        continue;
      }
      if (err.errorCode === "REQUEST_LIMIT_EXCEEDED") {
        throw new CrmError("crm_rate_limited", "Salesforce's API request limit for this org is used up (REQUEST_LIMIT_EXCEEDED); the run is retried later", { retryAfterMs: LIMIT_RETRY_AFTER_MS });
      }
      if (res.status >= 500 || res.status === 429) {
        if (++serverErrors > MAX_SERVER_RETRIES) throw new CrmError("crm_unavailable", `${label}: Salesforce answered ${res.status}`);
        await sleep((o.retryBaseMs ?? 500) * 2 ** (serverErrors - 1), signal);
        continue;
      }
      if (res.status === 410) throw new CrmError("crm_bad_response", `Salesforce no longer serves API ${SALESFORCE_API_VERSION} (410 GONE)`);
      const why = `${res.status}${err.errorCode ? ` ${err.errorCode}` : ""}: ${String(err.message ?? "").slice(0, 300)}`;
      throw new CrmError("crm_bad_response", `${label}: Salesforce refused the request (${why})`);
    }
  }

  /** Every record of a SOQL query, following nextRecordsUrl until done. */
  async function queryAll<T>(label: string, soql: string, signal?: AbortSignal, onPage?: (rows: T[]) => void): Promise<T[]> {
    const all: T[] = [];
    let path = `${API}/query?${new URLSearchParams({ q: soql })}`;
    for (;;) {
      const page = await get(label, path, signal);
      const rows = (page.records as T[] | undefined) ?? [];
      if (onPage) onPage(rows);
      else all.push(...rows);
      const next = page.nextRecordsUrl;
      if (page.done !== false || typeof next !== "string") return all;
      // Only a path on the same API is followed: the bearer token must not go elsewhere.
      if (!next.startsWith(`${API}/query/`)) throw new CrmError("crm_bad_response", "Salesforce sent an unexpected nextRecordsUrl");
      path = next;
    }
  }

  async function stages(signal?: AbortSignal): Promise<SalesforceLists["stages"]> {
    const rows = await queryAll<SfRecord>("Salesforce stages", "SELECT ApiName, MasterLabel, SortOrder, IsClosed, DefaultProbability FROM OpportunityStage WHERE IsActive = true ORDER BY SortOrder", signal);
    return rows.map((s) => ({
      id: String(s.ApiName ?? s.MasterLabel), label: String(s.MasterLabel ?? s.ApiName), order: Number(s.SortOrder) || 0,
      probability: typeof s.DefaultProbability === "number" ? s.DefaultProbability : null, isClosed: s.IsClosed === true,
    }));
  }

  /** Opportunity's field names in this org (describe), read once per client. */
  let described: Promise<Set<string>> | null = null;
  function opportunityFieldNames(signal?: AbortSignal): Promise<Set<string>> {
    described ??= get("Salesforce opportunity describe", `${API}/sobjects/Opportunity/describe`, signal).then(
      (d) => new Set(((d.fields as { name?: unknown }[] | undefined) ?? []).flatMap((f) => (typeof f.name === "string" ? [f.name] : []))),
    );
    return described;
  }

  return {
    async fetchOpenDeals(opts: FetchDealsOptions = {}): Promise<Deal[]> {
      const fields = await opportunityFieldNames(opts.signal);
      const where = opportunityWhere(scope, "", fields.has("RecordTypeId"));
      const historyWhere = opportunityWhere(scope, "Opportunity.", fields.has("RecordTypeId"));
      if (where === null || historyWhere === null) return [];
      const opps = await queryAll<SfRecord>("Salesforce opportunity query", `SELECT ${opportunityFields(fields).join(", ")} FROM Opportunity WHERE ${where} ORDER BY Id`, opts.signal);
      const history = new Map<string, SfHistoryRow[]>();
      await queryAll<SfHistoryRow>(
        "Salesforce opportunity history query",
        `SELECT OpportunityId, StageName, Amount, CloseDate, PrevAmount, PrevCloseDate, CreatedDate FROM OpportunityHistory WHERE ${historyWhere} ORDER BY OpportunityId, CreatedDate`,
        opts.signal,
        (rows) => {
          for (const r of rows) {
            const list = history.get(r.OpportunityId);
            if (list) list.push(r);
            else history.set(r.OpportunityId, [r]);
          }
        },
      );
      const stageOrder = new Map((await stages(opts.signal)).map((st) => [st.id, st.order]));
      const seen = new Set<string>();
      const deals: Deal[] = [];
      for (const r of opps) {
        const id = String(r.Id);
        if (seen.has(id)) continue;
        seen.add(id);
        const rows = history.get(id);
        deals.push(mapOpportunity(r, rows ? summarizeHistory(rows, typeof r.StageName === "string" ? r.StageName : null, stageOrder) : undefined));
      }
      return deals;
    },
    async lists(opts: FetchDealsOptions = {}): Promise<SalesforceLists> {
      const types = await queryAll<SfRecord>("Salesforce record types", "SELECT Id, Name FROM RecordType WHERE SobjectType = 'Opportunity' AND IsActive = true ORDER BY Name", opts.signal);
      const users = await queryAll<SfRecord>("Salesforce users", "SELECT Id, Name FROM User WHERE IsActive = true ORDER BY Name LIMIT 2000", opts.signal);
      return {
        pipelines: types.map((t) => ({ id: String(t.Id), label: String(t.Name) })),
        stages: await stages(opts.signal),
        owners: users.map((u) => ({ id: String(u.Id), name: String(u.Name) })),
      };
    },
    async countOpenDeals(opts: FetchDealsOptions = {}) {
      const where = opportunityWhere(scope, "", !scope.pipelineIds.length || (await opportunityFieldNames(opts.signal)).has("RecordTypeId"));
      if (where === null) return 0;
      const page = await get("Salesforce opportunity count", `${API}/query?${new URLSearchParams({ q: `SELECT COUNT() FROM Opportunity WHERE ${where}` })}`, opts.signal);
      return Number(page.totalSize) || 0;
    },
  };
}

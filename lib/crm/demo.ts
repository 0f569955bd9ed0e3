// Demo CRM: a deterministic, HubSpot-shaped pipeline for trying Revwatch without a real CRM
// and for exercising failure handling (faults) in tests and e2e runs.
import type { Deal } from "@/lib/reviews/types";
import { generateDeals } from "./demo-data";
import { CrmError, type CrmClient, type CrmErrorCode, type FetchDealsOptions } from "./types";

export { isoFromMs, mulberry32 } from "./demo-data";

export type DemoFaultKind = "auth_expired" | "rate_limited" | "server_error" | "timeout";
export const DEMO_FAULT_KINDS: readonly DemoFaultKind[] = ["auth_expired", "rate_limited", "server_error", "timeout"];

export interface DemoFault {
  kind: DemoFaultKind;
  /** 1-based page-fetch call number (counted over the client's lifetime); omitted = every call. */
  onCall?: number;
}

export interface DemoOptions {
  seed: number;
  size: number;
  pageSize: number;
  /** Anchor for all generated dates (default: client creation time); fixed `now` = identical deals. */
  now: Date;
  faults?: DemoFault[];
  /**
   * With a caller signal, a "timeout" fault hangs until the signal aborts or this cap (ms)
   * passes, then fails; without one it fails at once.
   */
  timeoutDelayMs?: number;
  /** Every page fetch waits this long (cut short by the caller's signal), so e2e runs stay visibly running. */
  latencyMs?: number;
}

export const DEMO_DEFAULTS = { seed: 42, size: 120, pageSize: 100, timeoutDelayMs: 20, latencyMs: 0 } as const;
const MAX_DELAY_MS = 60_000;
export const DEMO_RETRY_AFTER_MS = 1_000;
const MAX_SIZE = 1_000_000;

function normalizeOptions(opts: Partial<DemoOptions>): DemoOptions {
  const int = (v: number | undefined, def: number, min: number, max: number): number =>
    v === undefined || !Number.isFinite(v) ? def : Math.min(max, Math.max(min, Math.trunc(v)));
  return {
    seed: int(opts.seed, DEMO_DEFAULTS.seed, -(2 ** 31), 2 ** 32 - 1),
    size: int(opts.size, DEMO_DEFAULTS.size, 0, MAX_SIZE),
    pageSize: int(opts.pageSize, DEMO_DEFAULTS.pageSize, 1, MAX_SIZE),
    now: opts.now ?? new Date(),
    faults: opts.faults ?? [],
    timeoutDelayMs: int(opts.timeoutDelayMs, DEMO_DEFAULTS.timeoutDelayMs, 0, MAX_DELAY_MS),
    latencyMs: int(opts.latencyMs, DEMO_DEFAULTS.latencyMs, 0, MAX_DELAY_MS),
  };
}

/**
 * Generates `size` deals from `seed`, all dates relative to `now`. Deals are drawn sequentially
 * from one PRNG, so a smaller size yields a prefix of a larger one.
 */
export function generateDemoDeals(opts: Partial<DemoOptions> = {}): Deal[] {
  return generateDeals(normalizeOptions(opts));
}

const FAULT_ERRORS: Readonly<Record<DemoFaultKind, readonly [CrmErrorCode, string]>> = {
  auth_expired: ["crm_auth_expired", "access token expired"],
  rate_limited: ["crm_rate_limited", "rate limit exceeded"],
  server_error: ["crm_unavailable", "503 Service Unavailable"],
  timeout: ["crm_timeout", "request timed out"],
};

function faultError(kind: DemoFaultKind, call: number): CrmError {
  const [code, text] = FAULT_ERRORS[kind];
  const retryAfterMs = kind === "rate_limited" ? DEMO_RETRY_AFTER_MS : undefined;
  return new CrmError(code, `Demo CRM: ${text} (call ${call})`, { retryAfterMs });
}

/** Resolves after `ms`, or as soon as the signal (if any) aborts; never rejects. */
function waitOrAbort(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    if (signal?.aborted) done();
    else signal?.addEventListener("abort", done, { once: true });
  });
}

export interface DemoClient extends CrmClient {
  /** Page fetches attempted so far, including failed ones; a fault's `onCall` counts these. */
  readonly callCount: number;
}

export function createDemoClient(opts: Partial<DemoOptions> = {}): DemoClient {
  const o = normalizeOptions(opts);
  let all: Deal[] | null = null; // generated lazily, once per client
  let calls = 0;

  const fetchPage = async (offset: number, signal: AbortSignal | undefined): Promise<Deal[]> => {
    const call = ++calls;
    if (o.latencyMs) await waitOrAbort(o.latencyMs, signal);
    // A fault pinned to this call wins over an every-call fault.
    const fault = o.faults?.find((f) => f.onCall === call) ?? o.faults?.find((f) => f.onCall === undefined);
    if (fault?.kind === "timeout" && signal) {
      // A hung request: fails when the caller's deadline fires, capped so tests stay quick.
      await waitOrAbort(o.timeoutDelayMs ?? DEMO_DEFAULTS.timeoutDelayMs, signal);
    }
    if (fault) throw faultError(fault.kind, call);
    if (signal?.aborted) throw faultError("timeout", call);
    all ??= generateDemoDeals(o);
    await Promise.resolve(); // async like real I/O, so callers cannot rely on sync results
    return all.slice(offset, offset + o.pageSize);
  };

  return {
    get callCount() {
      return calls;
    },
    async fetchOpenDeals(fo: FetchDealsOptions = {}): Promise<Deal[]> {
      const out: Deal[] = [];
      // An empty pipeline still costs one call, like a real first-page request.
      for (let offset = 0; ; offset += o.pageSize) {
        for (const d of await fetchPage(offset, fo.signal)) out.push(d);
        if (offset + o.pageSize >= o.size) return out;
      }
    },
  };
}

function isFaultKind(v: string): v is DemoFaultKind {
  return (DEMO_FAULT_KINDS as readonly string[]).includes(v);
}

function parseIntParam(v: string | null): number | undefined {
  if (v === null || !/^-?\d+$/.test(v.trim())) return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * Reads demo options from a connection's instance URL, e.g.
 * "demo://?seed=7&size=500&pageSize=50&now=2026-01-15T00:00:00Z&latency_ms=2500&fail=rate_limited@1,server_error".
 * `fail` is a comma list of `kind` (every call) or `kind@call`; `latency_ms` delays every page fetch.
 * Unknown or malformed values are ignored so a bad URL degrades to defaults instead of breaking every run.
 */
export function parseDemoInstanceUrl(url: string | null | undefined): Partial<DemoOptions> {
  if (!url) return {};
  const q = url.indexOf("?");
  if (q < 0) return {};
  const params = new URLSearchParams(url.slice(q + 1));
  const out: Partial<DemoOptions> = {};

  const seed = parseIntParam(params.get("seed"));
  if (seed !== undefined) out.seed = seed;
  const size = parseIntParam(params.get("size"));
  if (size !== undefined && size >= 0) out.size = Math.min(size, MAX_SIZE);
  const pageSize = parseIntParam(params.get("pageSize") ?? params.get("page_size"));
  if (pageSize !== undefined && pageSize >= 1) out.pageSize = pageSize;
  const now = params.get("now");
  if (now !== null && Number.isFinite(Date.parse(now))) out.now = new Date(Date.parse(now));
  const latencyMs = parseIntParam(params.get("latency_ms") ?? params.get("latencyMs"));
  if (latencyMs !== undefined && latencyMs >= 0) out.latencyMs = Math.min(latencyMs, MAX_DELAY_MS);

  const fail = params.get("fail");
  if (fail !== null) {
    const faults: DemoFault[] = [];
    for (const part of fail.split(",")) {
      const [kind, at, extra] = part.trim().split("@");
      if (extra !== undefined || !isFaultKind(kind)) continue;
      if (at === undefined) {
        faults.push({ kind });
        continue;
      }
      const onCall = parseIntParam(at);
      if (onCall !== undefined && onCall >= 1) faults.push({ kind, onCall });
    }
    if (faults.length > 0) out.faults = faults;
  }
  return out;
}

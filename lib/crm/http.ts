import "server-only";
import { CrmError } from "./types";

// One HTTP call to a CRM: bounded in time and size, network failures as CrmError. Messages never
// carry request headers or bodies (tokens travel in both).

export const CRM_REQUEST_TIMEOUT_MS = 30_000;
const MAX_RESPONSE_BYTES = 20 * 1024 * 1024;

export type CrmResponse = { status: number; headers: Headers; body: unknown; text: string };

export type CrmRequest = {
  method?: "GET" | "POST" | "DELETE";
  headers?: Record<string, string>;
  body?: string | URLSearchParams;
  signal?: AbortSignal;
  timeoutMs?: number;
};

async function readCapped(res: Response): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_RESPONSE_BYTES) {
      await reader.cancel();
      throw new CrmError("crm_bad_response", "The CRM answered with an oversized response");
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** `label` names the call in errors ("HubSpot deal search"); the URL is not repeated (it may carry a query). */
export async function crmRequest(label: string, url: string, req: CrmRequest = {}): Promise<CrmResponse> {
  const deadline = AbortSignal.timeout(req.timeoutMs ?? CRM_REQUEST_TIMEOUT_MS);
  const signal = req.signal ? AbortSignal.any([req.signal, deadline]) : deadline;
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, { method: req.method ?? "GET", headers: req.headers, body: req.body, signal, redirect: "manual" });
    text = await readCapped(res);
  } catch (err) {
    if (err instanceof CrmError) throw err;
    if (signal.aborted) throw new CrmError("crm_timeout", `${label}: no answer in time`, { cause: err });
    throw new CrmError("crm_unavailable", `${label}: the CRM could not be reached`, { cause: err });
  }
  let body: unknown = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  return { status: res.status, headers: res.headers, body, text };
}

/** Resolves after ms, or when the signal aborts (then rejects as a timeout). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CrmError("crm_timeout", "The CRM fetch ran out of time"));
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CrmError("crm_timeout", "The CRM fetch ran out of time"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Retry-After in seconds (or an HTTP date) as ms, else the fallback. */
export function retryAfterMs(headers: Headers, fallbackMs: number): number {
  const v = headers.get("retry-after");
  if (!v) return fallbackMs;
  const secs = Number(v);
  if (Number.isFinite(secs) && secs >= 0) return Math.min(secs * 1000, 60_000);
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, Math.min(at - Date.now(), 60_000)) : fallbackMs;
}

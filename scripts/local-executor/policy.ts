// What a function declares and the executor must honour, as pure functions: Inngest's retry
// backoff and RetryAfterError delays, finish/start timeouts, per-key concurrency limits.
import { durationMs, isRecord, type FnConfig, type InngestEvent, type Json } from "./protocol";

/** Inngest's retry table (pkg/backoff TableBackoff): delay after failed attempt n, plus 0-30 s jitter. */
export const BACKOFF_TABLE_MS = [15e3, 30e3, 60e3, 120e3, 300e3, 600e3, 1_200e3, 2_400e3, 3_600e3, 7_200e3];
export const BACKOFF_JITTER_MS = 30e3;

/** Delay before retrying after 0-based attempt `attempt` failed; `scale` shrinks it (tests, demos). */
export function backoffMs(attempt: number, scale = 1, random = Math.random): number {
  const base = BACKOFF_TABLE_MS[Math.min(Math.max(attempt, 0), BACKOFF_TABLE_MS.length - 1)];
  return Math.round((base + random() * BACKOFF_JITTER_MS) * scale);
}

/** The SDK's `retry-after` header (RetryAfterError): whole seconds, or an ISO date. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

type Timeouts = { start?: string | number; finish?: string | number };
const timeoutsOf = (fn: FnConfig): Timeouts => (isRecord(fn.timeouts) ? (fn.timeouts as Timeouts) : {});
const toMs = (v: string | number) => (typeof v === "number" ? v : durationMs(v));

/** `timeouts.finish`: the run is cancelled this long after it started. */
export function finishDeadline(fn: FnConfig, startedAt: string): number | undefined {
  const finish = timeoutsOf(fn).finish;
  return finish ? Date.parse(startedAt) + toMs(finish) : undefined;
}

/** `timeouts.start`: how long a run may wait for a concurrency slot before its first step. */
export function startTimeoutMs(fn: FnConfig): number | undefined {
  const start = timeoutsOf(fn).start;
  return start ? toMs(start) : undefined;
}

export type ConcurrencyKey = { key: string; limit: number };

/** Reads `event.data.x`-style key expressions; Inngest evaluates them as CEL over the event. */
function evalKey(expr: string, event: InngestEvent): string {
  const path = expr.trim().replace(/^event\./, "").split(".");
  const value = path.reduce<Json>((v, k) => (isRecord(v) ? v[k] : undefined), event as unknown as Json);
  return value === undefined || value === null ? "" : typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * The slots a step of this run needs: one per concurrency entry. Without a key the limit is the
 * function's (or, with scope "account"/"env", shared under that scope); with a key, per key value.
 */
export function concurrencyKeys(fn: FnConfig, event: InngestEvent): ConcurrencyKey[] {
  const raw = fn.concurrency;
  const list = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  return list.flatMap((c): ConcurrencyKey[] => {
    const entry = typeof c === "number" ? { limit: c } : isRecord(c) ? c : null;
    const limit = Number(entry?.limit);
    if (!entry || !Number.isFinite(limit) || limit <= 0) return [];
    const scope = typeof entry.scope === "string" && entry.scope !== "fn" ? entry.scope : `fn:${fn.id}`;
    const key = typeof entry.key === "string" ? `${entry.key}=${evalKey(entry.key, event)}` : "*";
    return [{ key: `${scope}|${key}`, limit }];
  });
}

/** Settings the executor does not model: warned about once at sync, never silently honoured. */
export function unsupportedSettings(fn: FnConfig): string[] {
  return ["idempotency", "rateLimit", "throttle", "debounce", "batchEvents", "cancel", "priority", "singleton"].filter((k) => fn[k] !== undefined && fn[k] !== null);
}

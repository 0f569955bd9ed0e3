// Wire types and pure helpers of the local executor (scripts/local-executor/executor.ts).
// They mirror what inngest@4.24's InngestCommHandler sends and accepts; the
// protocol is SDK-internal, so keep the `inngest` version pinned.
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import canonicalize from "canonicalize";

/** Protocol JSON is untyped on the wire; narrow it where it is read. */
export type Json = unknown;
export type JsonObject = { [key: string]: Json };

export interface InngestEvent {
  id: string;
  name: string;
  data: JsonObject;
  ts: number;
  user?: JsonObject;
  v?: string;
}
export type EventInput = Partial<InngestEvent> & { name: string };

export type Trigger = { event: string; expression?: string } | { cron: string; jitter?: string };
export interface FnStepConfig {
  id: string;
  name: string;
  runtime: { type?: string; url: string };
  retries?: { attempts: number };
}
/** One function as returned by the SDK's sync (in-band PUT or POST /fn/register). */
export interface FnConfig {
  id: string;
  name?: string;
  triggers: Trigger[];
  steps: Record<string, FnStepConfig>;
  [key: string]: Json;
}

/** An op in a 206 answer ("StepRun", "StepError", "StepPlanned", "Sleep", ...). */
export interface Op {
  id: string;
  op: string;
  name?: string;
  displayName?: string;
  data?: Json;
  error?: Json;
  opts?: JsonObject;
}

/** An app's answer, read whole (bounded by fetchWithTimeout). */
export interface Reply {
  status: number;
  headers: Headers;
  text: string;
}
export type Fetcher = (url: string, init: RequestInit) => Promise<Response>;

export type StepResult = { type: "data"; data: Json } | { type: "error"; error: Json };
export type RunStatus = "running" | "completed" | "failed" | "cancelled";

/** One execution of a step, as the inspector shows it (backoff is the gap between attempts). */
export interface StepAttempt {
  attempt: number;
  startedAt: string;
  endedAt: string;
  error?: string;
}
export type StepStatus = "completed" | "failed" | "retrying";
/** A step of a run, keyed by the SDK's hashed step id. */
export interface StepRecord {
  id: string;
  name: string;
  status: StepStatus;
  attempts: StepAttempt[];
  output?: Json;
  error?: Json;
  nextRetryAt?: string;
}
/** A request the run still has to make: "step" asks the function what is next, else a step id. */
export interface QueueItem {
  stepId: string;
  attempt: number;
}

/** Plain JSON (served as-is by GET /__admin/runs and kept in the journal). */
export interface RunRecord {
  runId: string;
  fnId: string;
  event: InngestEvent;
  status: RunStatus;
  output?: Json;
  error?: Json;
  /** Executions per step, keyed by the step's display name (retries included). */
  attempts: Record<string, number>;
  steps: StepRecord[];
  log: string[];
  requests: number;
  startedAt: string;
  endedAt?: string;
  replayOf?: string;
  parentRunId?: string;
  /** Runs started by this run's `inngest/function.failed` event (onFailure handlers). */
  failureRunIds: string[];
  /** Resumable state: memoised step results, their order, what to ask next, when. */
  memo: Record<string, StepResult>;
  stack: string[];
  queue: QueueItem[];
  /** The request in flight; put back at the head of the queue if the executor stops mid-request. */
  current?: QueueItem;
  version: number;
  /** Epoch ms before which the next request must not be made (retry backoff, step.sleep). */
  wakeAt?: number;
}

export const FUNCTION_FAILED = "inngest/function.failed";
export const FUNCTION_INVOKED = "inngest/function.invoked";
export const SCHEDULED_TIMER = "inngest/scheduled.timer";
/** The SDK reports function-level errors/results under sha1("complete"). */
export const RUN_COMPLETE_ID = createHash("sha1").update("complete").digest("hex");

export function isRecord(v: Json): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function toJson(value: Json): string {
  const out = canonicalize(value);
  if (out === undefined) throw new Error("local executor: value is not JSON-serialisable");
  return out;
}

const B32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/** ULID-shaped id (time-sortable). `seed` makes it deterministic. */
export function ulid(now = Date.now(), seed?: string): string {
  const rand = seed ? createHash("sha256").update(seed).digest() : randomBytes(16);
  let time = "";
  for (let i = 0, n = now; i < 10; i++, n = Math.floor(n / 32)) time = B32[n % 32] + time;
  let tail = "";
  for (let i = 0; i < 16; i++) tail += B32[rand[i] % 32];
  return time + tail;
}

export const stripKeyPrefix = (key: string) => key.replace(/^signkey-[\w]+-/, "");

/** x-inngest-signature as Inngest Cloud sends it: HMAC-SHA256(body + ts). */
export function sign(body: string, signingKey: string, now = Date.now()): string {
  const ts = Math.round(now / 1000).toString();
  const s = createHmac("sha256", stripKeyPrefix(signingKey)).update(body + ts).digest("hex");
  return `t=${ts}&s=${s}`;
}

/** Checks a signature the SDK put on its answer (it signs the raw body). */
export function verifySignature(body: string, header: string | null, signingKey: string): boolean {
  if (!header) return false;
  const params = new URLSearchParams(header);
  const ts = params.get("t");
  const s = params.get("s");
  if (!ts || !s) return false;
  const want = Buffer.from(sign(body, signingKey, Number(ts) * 1000).split("&s=")[1]);
  const got = Buffer.from(s);
  return want.length === got.length && timingSafeEqual(want, got);
}

/** The bearer token the SDK sends to the API (POST /fn/register, checkpoints). */
export function hashedSigningKey(signingKey: string): string {
  const prefix = signingKey.match(/^signkey-[\w]+-/)?.[0] ?? "";
  const key = Buffer.from(stripKeyPrefix(signingKey), "hex");
  return prefix + createHash("sha256").update(key).digest("hex");
}

const UNITS: Record<string, number> = { ms: 1, s: 1e3, m: 6e4, h: 36e5, d: 864e5, w: 6048e5 };
/** "1h30m", "10s" (the SDK's timeStr) or an ISO date (sleepUntil) -> ms from now. */
export function durationMs(value: string, now = Date.now()): number {
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)];
  if (parts.length && parts.map((p) => p[0]).join("") === value) {
    return parts.reduce((sum, [, n, unit]) => sum + Number(n) * UNITS[unit], 0);
  }
  const at = Date.parse(value);
  return Number.isNaN(at) ? 0 : Math.max(0, at - now);
}

export class UnsupportedExpression extends Error {}

/**
 * Evaluates the CEL subset Inngest triggers and waitForEvent use:
 * paths (event.data.x, async.data.x), string/number/bool/null literals,
 * == != < <= > >=, !, &&, || and parentheses. Anything else throws
 * UnsupportedExpression so a test never passes on a silently ignored filter.
 */
export function evalExpression(expr: string, vars: Record<string, Json>): boolean {
  const tokens = expr.match(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|==|!=|<=|>=|&&|\|\||[()<>!]|-?\d+(?:\.\d+)?|[A-Za-z_][\w.]*|\S/g) ?? [];
  let pos = 0;
  const peek = () => tokens[pos];
  const fail = (why: string): never => {
    throw new UnsupportedExpression(`unsupported expression ${JSON.stringify(expr)}: ${why}`);
  };
  const primary = (): Json => {
    const t = tokens[pos++];
    if (t === undefined) return fail("unexpected end");
    if (t === "(") {
      const v = or();
      if (tokens[pos++] !== ")") fail("missing )");
      return v;
    }
    if (t === "!") return !truthy(primary());
    if (/^['"]/.test(t)) return t.slice(1, -1).replace(/\\(.)/g, "$1");
    if (/^-?\d/.test(t)) return Number(t);
    if (t === "true" || t === "false") return t === "true";
    if (t === "null") return null;
    if (/^[A-Za-z_]/.test(t)) {
      const [root, ...path] = t.split(".");
      if (!(root in vars)) fail(`unknown variable ${root}`);
      return path.reduce<Json>((v, k) => (isRecord(v) ? v[k] : undefined), vars[root]);
    }
    return fail(`unexpected token ${t}`);
  };
  const comparison = (): Json => {
    const left = primary();
    const op = peek();
    if (!op || !["==", "!=", "<", "<=", ">", ">="].includes(op)) return left;
    pos++;
    const right = primary();
    if (op === "==") return left === right;
    if (op === "!=") return left !== right;
    if (typeof left !== typeof right || !["number", "string"].includes(typeof left)) return false;
    const [l, r] = [left as number | string, right as number | string];
    return op === "<" ? l < r : op === "<=" ? l <= r : op === ">" ? l > r : l >= r;
  };
  const and = (): Json => {
    let v = truthy(comparison());
    while (peek() === "&&") { pos++; v = truthy(comparison()) && v; }
    return v;
  };
  const or = (): Json => {
    let v = truthy(and());
    while (peek() === "||") { pos++; v = truthy(and()) || v; }
    return v;
  };
  const result = or();
  if (pos !== tokens.length) fail(`unexpected token ${tokens[pos]}`);
  return truthy(result);
}
const truthy = (v: Json) => v !== undefined && v !== null && v !== false && v !== 0 && v !== "";

/** Event-name match; Inngest also allows a trailing wildcard ("app/*"). */
export function nameMatches(pattern: string, name: string): boolean {
  return pattern === name || (pattern.endsWith("*") && name.startsWith(pattern.slice(0, -1)));
}

/** Calls the app and reads the answer, both within `ms`, whatever the fetcher does with the signal. */
export async function fetchWithTimeout(fetcher: Fetcher, url: string, init: RequestInit, ms: number): Promise<Reply> {
  const ctrl = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => (ctrl.abort(), reject(new Error(`${init.method} ${url} timed out after ${ms}ms`))), ms);
  });
  const call = (async () => {
    const res = await fetcher(url, { ...init, signal: ctrl.signal });
    return { status: res.status, headers: res.headers, text: await res.text() };
  })();
  try {
    return await Promise.race([call, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Streaming answers (INNGEST_STREAMING) are 201 + whitespace heartbeats + {status, headers, body}. */
export function unwrapStream(reply: Reply): Reply {
  if (reply.status !== 201) return reply;
  const inner = JSON.parse(reply.text.trim()) as { status: number; headers: Record<string, string>; body: string };
  return { status: inner.status, headers: new Headers(inner.headers), text: inner.body };
}

/** The executor's error shape ({name, message, stack}) that function.failed and onFailure carry. */
export function userError(error: Json): JsonObject {
  if (isRecord(error) && typeof (error.message ?? error.error) === "string") {
    const { name, message, error: alt, stack, cause } = error;
    return { name: typeof name === "string" ? name : "Error", message: message ?? alt, ...(typeof stack === "string" && { stack }), ...(cause !== undefined && { cause }) };
  }
  return { name: "Error", message: typeof error === "string" ? error : JSON.stringify(error) };
}

/** Serialised error -> message, for logs and helpful failures. */
export function errorMessage(error: Json): string {
  if (isRecord(error)) {
    const msg = error.message ?? error.error;
    if (typeof msg === "string") return `${typeof error.name === "string" ? `${error.name}: ` : ""}${msg}`;
  }
  return typeof error === "string" ? error : JSON.stringify(error);
}

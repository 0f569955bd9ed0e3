// FakeInngest: a test double of the Inngest executor + dev server/event API for
// inngest@4.24 apps (no Inngest server can run here). It syncs an app's serve()
// endpoint, takes events at /e/:key, and drives runs over the real serve
// protocol (see fake-inngest-executor.ts). Protocol is SDK-internal: pin inngest.
//
// The app's client must send events here: dev mode `INNGEST_DEV=1` plus
// `INNGEST_BASE_URL=<url>` (or `INNGEST_DEV=<url>`, or `baseUrl`); signed mode
// `INNGEST_DEV=0`, `INNGEST_SIGNING_KEY`, `INNGEST_EVENT_KEY`, `INNGEST_BASE_URL`.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { driveRun, ProtocolError, type RunHost } from "./fake-inngest-executor";
import { listenApi, type ExtraRoute } from "./fake-inngest-http";
import {
  FUNCTION_FAILED, FUNCTION_INVOKED, SCHEDULED_TIMER, UnsupportedExpression, durationMs, evalExpression, fetchWithTimeout,
  isRecord, nameMatches, sign, toJson, ulid, unwrapStream, userError, verifySignature,
  type EventInput, type Fetcher, type FnConfig, type InngestEvent, type Json, type JsonObject, type Op, type Reply, type RunRecord,
} from "./fake-inngest-protocol";

export * from "./fake-inngest-protocol";
export type { ExtraRoute, HttpReply } from "./fake-inngest-http";

export interface FakeInngestOptions {
  /** Cloud mode: sign requests like Inngest Cloud, verify answers and the SDK's API bearer token. */
  signingKey?: string;
  /** Events matching a function's trigger start a run in the background. */
  autoRun?: boolean;
  /** How to reach the app (default: global fetch), e.g. `(u, i) => POST(new Request(u, i))`. */
  fetcher?: Fetcher;
  /** If set, /e/:key answers 401 for any other key. */
  eventKeys?: string[];
  /** Send ctx.fn_id so the SDK checkpoints steps to POST /v1/checkpoint/:runId/async (Inngest Cloud's default). */
  checkpointing?: boolean;
  maxRequestsPerRun?: number; // default 200
  requestTimeoutMs?: number; // per call to the app, default 30s
  maxWaitForEventMs?: number; // cap on step.waitForEvent, default 5s
  maxRuns?: number; // guards against event loops, default 1000
  retryDelayMs?: number; // between retries, default 0 (Inngest backs off)
  /** Extra HTTP routes on listen()'s server (the CLI's /__admin). */
  extraRoutes?: ExtraRoute;
  logger?: (line: string) => void;
}

interface Waiter { name: string; expr?: string; original: InngestEvent; done: (e: InngestEvent | null) => void }

export class FakeInngest {
  readonly events: InngestEvent[] = [];
  readonly runs: RunRecord[] = [];
  readonly warnings: string[] = [];
  url?: string;
  private readonly apps = new Map<string, FnConfig[]>();
  private readonly seen = new Map<string, string>(); // idempotency key -> event id
  private readonly inflight = new Set<Promise<RunRecord>>();
  private readonly sinks = new Map<string, (ops: Op[]) => Promise<void>>();
  private waiters: Waiter[] = [];
  private server?: Server;
  private closed = false;
  private registrations = 0;
  private readonly host: RunHost;

  constructor(private readonly opts: FakeInngestOptions = {}) {
    this.host = {
      isClosed: () => this.closed,
      maxRequestsPerRun: opts.maxRequestsPerRun ?? 200,
      retryDelayMs: opts.retryDelayMs ?? 0,
      checkpointing: opts.checkpointing ?? false,
      call: (url, body, version) => this.callApp(url, body, version),
      waitForEvent: (op, run) => this.waitForEvent(op, run),
      invoke: (op, run) => this.invoke(op, run),
      onCheckpoint: (runId, sink) => (sink ? this.sinks.set(runId, sink) : this.sinks.delete(runId)),
    };
  }

  get functions(): FnConfig[] { return [...this.apps.values()].flat(); }

  fn(fnId: string): FnConfig {
    const fn = this.functions.find((f) => f.id === fnId);
    if (!fn) throw new Error(`FakeInngest: unknown function "${fnId}"; synced: ${this.functions.map((f) => f.id).join(", ") || "none (call sync() first)"}`);
    return fn;
  }

  /** Serve the dev-server/event API on host:port (0 = any free port); resolves to the port. */
  async listen(port = 8288, host = "127.0.0.1"): Promise<number> {
    if (this.server) throw new Error("FakeInngest is already listening");
    const server = await listenApi({
      signingKey: this.opts.signingKey,
      eventKeys: this.opts.eventKeys,
      extraRoutes: this.opts.extraRoutes,
      send: (events, seed) => this.send(events, seed),
      register: (appId, fns) => {
        this.apps.set(appId, fns);
        this.registrations++;
      },
      checkpoint: async (runId, ops) => {
        const sink = this.sinks.get(runId);
        await sink?.(ops);
        return Boolean(sink);
      },
      functionIds: () => this.functions.map((f) => f.id),
    }, port, host);
    this.server = server;
    const actual = (server.address() as AddressInfo).port;
    this.url = `http://${host}:${actual}`;
    return actual;
  }

  /** Stops runs at their next request, ends waits, frees the port. */
  async close(): Promise<void> {
    this.closed = true;
    for (const w of [...this.waiters]) w.done(null);
    await this.waitForIdle(5_000).catch(() => undefined);
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  /** In-band sync: PUT the serve URL; the SDK answers with every function's config. */
  async sync(serveUrl: string): Promise<FnConfig[]> {
    const body = toJson({ url: serveUrl });
    const before = this.registrations;
    const reply = await this.fetchApp(serveUrl, { method: "PUT", headers: this.headers(body, { "x-inngest-sync-kind": "in_band" }), body });
    if (reply.status !== 200) throw new Error(`FakeInngest.sync(${serveUrl}): HTTP ${reply.status} ${reply.text.slice(0, 300)}`);
    if (reply.headers.get("x-inngest-sync-kind") === "in_band") {
      this.checkAnswerSignature(reply);
      const res = JSON.parse(reply.text) as { app_id: string; functions: FnConfig[] };
      this.apps.set(res.app_id, res.functions);
      return res.functions;
    }
    // The SDK refused in-band (INNGEST_ALLOW_IN_BAND_SYNC=0) and POSTed /fn/register to its API base URL.
    if (this.registrations === before) throw new Error(`FakeInngest.sync(${serveUrl}): out-of-band sync did not reach this double; point the app's INNGEST_BASE_URL at ${this.url ?? "listen()"}: ${reply.text.slice(0, 300)}`);
    return this.functions;
  }

  /** Takes events like POST /e/:key: assigns ids, dedupes by `id`, feeds waits, autoRuns. */
  send(input: EventInput | EventInput[], seed?: string): string[] {
    return (Array.isArray(input) ? input : [input]).map((raw, i) => {
      // An id is an idempotency key; without one the SDK's retry seed plays that part.
      const key = raw.id ?? (seed ? `seed:${seed}:${i}` : undefined);
      const known = key === undefined ? undefined : this.seen.get(key);
      if (known) {
        this.opts.logger?.(`event ${raw.name} ${key} deduplicated`);
        return known;
      }
      const event = this.normalize({ ...raw, id: raw.id ?? ulid(Date.now(), key) });
      if (key) this.seen.set(key, event.id);
      this.events.push(event);
      for (const w of [...this.waiters]) {
        if (nameMatches(w.name, event.name) && this.exprOk(w.expr, { event: w.original, async: event }, "waitForEvent")) w.done(event);
      }
      if (this.opts.autoRun && !this.closed) {
        for (const fn of this.matching(event)) {
          try { this.start(fn.id, event); } catch (err) { this.warn(String(err)); }
        }
      }
      return event.id;
    });
  }

  /** Drive one run of fnId to completion (onFailure handlers included). */
  async run(fnId: string, event: EventInput): Promise<RunRecord> {
    return this.start(fnId, event).done;
  }

  /** Run a cron-triggered function now, with the event Inngest's scheduler sends. */
  async triggerCron(fnId: string): Promise<RunRecord> {
    const trigger = this.fn(fnId).triggers.find((t) => "cron" in t);
    if (!trigger || !("cron" in trigger)) throw new Error(`FakeInngest: function "${fnId}" has no cron trigger`);
    return this.run(fnId, { name: SCHEDULED_TIMER, data: { cron: trigger.cron } });
  }

  /** Like the dashboard's replay: the same event, a new run id. */
  async replay(runId: string): Promise<RunRecord> {
    const old = this.runs.find((r) => r.runId === runId);
    if (!old) throw new Error(`FakeInngest: unknown run "${runId}"`);
    return this.start(old.fnId, old.event, { replayOf: runId }).done;
  }

  findRuns(filter: { fnId?: string; eventName?: string; status?: RunRecord["status"] } = {}): RunRecord[] {
    return this.runs.filter((r) => (!filter.fnId || r.fnId === filter.fnId) && (!filter.eventName || r.event.name === filter.eventName) && (!filter.status || r.status === filter.status));
  }

  /** Resolves once no run is in flight (runs started meanwhile included). */
  async waitForIdle(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.inflight.size) {
      const left = deadline - Date.now();
      if (left <= 0) {
        const busy = this.runs.filter((r) => r.status === "running").map((r) => `${r.fnId} ${r.runId} (${r.requests} requests; last: ${r.log.at(-1) ?? "-"})`);
        throw new Error(`FakeInngest.waitForIdle: ${busy.length} run(s) still running after ${timeoutMs}ms:\n  ${busy.join("\n  ")}`);
      }
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...this.inflight]), new Promise((r) => (timer = setTimeout(r, left)))]);
      clearTimeout(timer);
    }
  }

  private start(fnId: string, input: EventInput, extra: Partial<RunRecord> = {}): { run: RunRecord; done: Promise<RunRecord> } {
    const fn = this.fn(fnId);
    if (this.closed) throw new Error("FakeInngest is closed");
    const max = this.opts.maxRuns ?? 1000;
    if (this.runs.length >= max) throw new Error(`FakeInngest: maxRuns (${max}) reached; is an event triggering itself?`);
    const run: RunRecord = {
      runId: ulid(), fnId, event: this.normalize(input), status: "running", attempts: {}, log: [], requests: 0,
      startedAt: new Date().toISOString(), failureRunIds: [], ...extra,
    };
    this.runs.push(run);
    const done: Promise<RunRecord> = this.execute(run, fn).finally(() => this.inflight.delete(done));
    this.inflight.add(done);
    return { run, done };
  }

  private async execute(run: RunRecord, fn: FnConfig): Promise<RunRecord> {
    const outcome = await driveRun(this.host, run, fn).catch((err: unknown) => ({ status: "failed" as const, error: { name: "FakeInngestError", message: String(err) } }));
    run.status = outcome.status;
    if (outcome.status === "completed") run.output = outcome.output;
    else run.error = userError(outcome.error);
    run.endedAt = new Date().toISOString();
    this.opts.logger?.(`run ${run.runId} ${run.fnId} ${run.status}`);
    if (outcome.status === "failed" && run.event.name !== FUNCTION_FAILED) {
      // Like the executor: a permanent failure emits inngest/function.failed, which onFailure (`<fnId>-failure`) is triggered by.
      const failed = this.normalize({ name: FUNCTION_FAILED, data: { function_id: run.fnId, run_id: run.runId, error: run.error, event: run.event } });
      this.events.push(failed);
      try {
        const children = this.matching(failed).map((f) => this.start(f.id, failed, { parentRunId: run.runId }));
        run.failureRunIds = children.map((c) => c.run.runId);
        for (const child of await Promise.all(children.map((c) => c.done))) run.log.push(`onFailure ${child.fnId} ${child.runId} -> ${child.status}`);
      } catch (err) {
        this.warn(`onFailure for ${run.runId} not run: ${String(err)}`); // closed, or maxRuns reached
      }
    }
    return run;
  }

  private matching(event: InngestEvent): FnConfig[] {
    return this.functions.filter((fn) => fn.triggers.some((t) => "event" in t && nameMatches(t.event, event.name) && this.exprOk(t.expression, { event }, fn.id)));
  }

  private exprOk(expr: string | undefined, vars: Record<string, Json>, where: string): boolean {
    if (!expr) return true;
    try {
      return evalExpression(expr, vars);
    } catch (err) {
      if (!(err instanceof UnsupportedExpression)) throw err;
      this.warn(`${where}: ${err.message}; treated as no match`);
      return false;
    }
  }

  private normalize(e: EventInput): InngestEvent {
    return { ...e, id: e.id ?? ulid(), name: e.name, data: isRecord(e.data) ? e.data : {}, ts: e.ts ?? Date.now() };
  }

  private warn(msg: string) {
    this.warnings.push(msg);
    this.opts.logger?.(`warning: ${msg}`);
  }

  private waitForEvent(op: Op, run: RunRecord): Promise<InngestEvent | null> {
    const cap = this.opts.maxWaitForEventMs ?? 5_000;
    const ms = Math.min(durationMs(String(op.opts?.timeout ?? "0s")), cap);
    return new Promise((resolve) => {
      const timer = setTimeout(() => waiter.done(null), ms);
      const waiter: Waiter = {
        name: op.name ?? "", expr: typeof op.opts?.if === "string" ? op.opts.if : undefined, original: run.event,
        done: (e) => { clearTimeout(timer); this.waiters = this.waiters.filter((w) => w !== waiter); resolve(e); },
      };
      this.waiters.push(waiter);
    });
  }

  private invoke(op: Op, run: RunRecord): Promise<RunRecord> {
    const payload = isRecord(op.opts?.payload) ? op.opts.payload : {};
    const event = { name: FUNCTION_INVOKED, data: isRecord(payload.data) ? payload.data : {} };
    return this.start(String(op.opts?.function_id), event, { parentRunId: run.runId }).done;
  }

  private headers(body: string, extra: Record<string, string> = {}): Record<string, string> {
    const h: Record<string, string> = { "content-type": "application/json", "x-inngest-server-kind": this.opts.signingKey ? "cloud" : "dev", ...extra };
    if (this.opts.signingKey) h["x-inngest-signature"] = sign(body, this.opts.signingKey);
    return h;
  }

  private async callApp(url: string, body: JsonObject, version: number): Promise<Reply> {
    const text = toJson(body);
    const reply = unwrapStream(await this.fetchApp(url, { method: "POST", headers: this.headers(text, { "x-inngest-req-version": String(version) }), body: text }));
    if (reply.status === 200 || reply.status === 206) this.checkAnswerSignature(reply);
    return reply;
  }

  private fetchApp(url: string, init: RequestInit): Promise<Reply> {
    return fetchWithTimeout(this.opts.fetcher ?? fetch, url, init, this.opts.requestTimeoutMs ?? 30_000);
  }

  // A cloud-mode SDK signs every answer; an unsigned one means the app runs in dev mode.
  private checkAnswerSignature(reply: Reply) {
    const key = this.opts.signingKey;
    const signature = reply.headers.get("x-inngest-signature");
    if (!key) return;
    if (!signature) {
      if (!this.warnings.some((w) => w.startsWith("unsigned answer"))) this.warn("unsigned answer: the app is in dev mode, so it checks no signatures");
    } else if (!verifySignature(reply.text, signature, key)) {
      throw new ProtocolError("the app's answer has an invalid x-inngest-signature (signing keys differ?)");
    }
  }
}

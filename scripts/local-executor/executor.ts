// LocalExecutor: the development stand-in for Inngest (as the embedded PGlite is for PostgreSQL),
// for inngest@4.24 apps. It syncs an app's serve() endpoint, takes events at /e/:key (deduplicated
// by id for 24 h), fires cron triggers on their schedule and time zone, and drives runs over the
// real serve protocol (drive.ts) with Inngest's retries and backoff, RetryAfterError, onFailure,
// per-key concurrency and finish timeouts. With a data folder it journals events, runs and memoised
// steps (store.ts), so a restart resumes unfinished runs. `npm run dev`, `npm run e2e:serve` and
// the tests all use it. The protocol is SDK-internal: pin inngest.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { AppClient } from "./app-client";
import { Limiter } from "./concurrency";
import { CronScheduler, cronEventId } from "./cron";
import { driveRun, type Outcome, type RunHost } from "./drive";
import { listenApi } from "./http";
import { backoffMs, concurrencyKeys, unsupportedSettings } from "./policy";
import {
  FUNCTION_FAILED, FUNCTION_INVOKED, SCHEDULED_TIMER, isRecord, ulid, userError,
  type EventInput, type FnConfig, type InngestEvent, type Op, type RunRecord,
} from "./protocol";
import { Store, prune, type Journal } from "./store";
import { EventWaits } from "./waits";
import type { LocalExecutorOptions } from "./options";

export type { LocalExecutorOptions } from "./options";

export * from "./protocol";
export type { ExtraRoute, HttpReply } from "./http";

/** What GET / answers with, so the app (and the dev command) can tell this executor from a Dev Server. */
export const LOCAL_EXECUTOR_NAME = "revwatch-local-executor";

export class LocalExecutor {
  readonly warnings: string[] = [];
  url?: string;
  private readonly j: Journal;
  private readonly store: Store;
  private readonly inflight = new Map<string, Promise<RunRecord>>();
  private readonly sinks = new Map<string, (ops: Op[]) => Promise<void>>();
  private readonly sleepers = new Set<() => void>();
  private readonly limiter = new Limiter();
  private readonly crons: CronScheduler;
  private readonly app: AppClient;
  private readonly waits = new EventWaits((m) => this.warn(m));
  private server?: Server;
  private closed = false;
  private registrations = 0;
  private started = 0;
  private readonly host: RunHost;

  constructor(private readonly opts: LocalExecutorOptions = {}) {
    this.store = new Store(opts.dataDir);
    this.j = this.store.load() ?? { version: 1, apps: {}, events: [], seen: {}, runs: [] };
    this.app = new AppClient(opts, (key, msg) => { if (!this.warnings.some((w) => w.startsWith(key))) this.warn(msg); });
    this.crons = new CronScheduler((fnId, cron, slot) => this.fireCron(fnId, cron, slot), (m) => this.warn(m));
    const scale = opts.backoffScale ?? 1;
    this.host = {
      isClosed: () => this.closed,
      maxRequestsPerRun: opts.maxRequestsPerRun ?? 200,
      checkpointing: opts.checkpointing ?? false,
      maxSleepMs: opts.maxSleepMs ?? Infinity,
      backoff: (attempt) => backoffMs(attempt, scale),
      call: (fn, run, url, body, version) => this.limiter.run(concurrencyKeys(fn, run.event), () => this.app.call(url, body, version)),
      waitForEvent: (op, run) => this.waits.wait(op, run, opts.maxWaitForEventMs ?? 5_000),
      invoke: (op, run) => this.invoke(op, run),
      onCheckpoint: (runId, sink) => (sink ? this.sinks.set(runId, sink) : this.sinks.delete(runId)),
      sleep: (ms) => this.sleep(ms),
      save: () => this.save(),
    };
  }

  get events(): InngestEvent[] { return this.j.events; }
  get runs(): RunRecord[] { return this.j.runs; }
  get functions(): FnConfig[] { return Object.values(this.j.apps).flat(); }
  /** Concurrency slots in use, by key. */
  get slots(): Record<string, number> { return this.limiter.inUse(); }

  fn(fnId: string): FnConfig {
    const fn = this.functions.find((f) => f.id === fnId);
    if (!fn) throw new Error(`local executor: unknown function "${fnId}"; synced: ${this.functions.map((f) => f.id).join(", ") || "none (call sync() first)"}`);
    return fn;
  }

  /** Serve the dev-server/event API on host:port (0 = any free port); resolves to the port. */
  async listen(port = 8288, host = "127.0.0.1"): Promise<number> {
    if (this.server) throw new Error("the local executor is already listening");
    this.server = await listenApi({
      name: LOCAL_EXECUTOR_NAME,
      signingKey: this.opts.signingKey,
      eventKeys: this.opts.eventKeys,
      extraRoutes: this.opts.extraRoutes,
      send: (events, seed) => this.send(events, seed),
      register: (appId, fns) => {
        this.setApp(appId, fns);
        this.registrations++;
      },
      checkpoint: async (runId, ops) => {
        const sink = this.sinks.get(runId);
        await sink?.(ops);
        return Boolean(sink);
      },
      functionIds: () => this.functions.map((f) => f.id),
    }, port, host);
    const actual = (this.server.address() as AddressInfo).port;
    this.url = `http://${host}:${actual}`;
    return actual;
  }

  /** Stops runs at their next request (journalled ones resume on the next start), ends waits, frees the port. */
  async close(): Promise<void> {
    this.closed = true;
    this.crons.stop();
    this.waits.endAll();
    for (const wake of [...this.sleepers]) wake();
    await this.waitForIdle(5_000).catch(() => undefined);
    this.save();
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  /** In-band sync: PUT the serve URL; the SDK answers with every function's config. */
  async sync(serveUrl: string): Promise<FnConfig[]> {
    const before = this.registrations;
    const answer = await this.app.sync(serveUrl);
    if (answer.inBand) {
      this.setApp(answer.appId, answer.functions);
      return answer.functions;
    }
    // The SDK refused in-band (INNGEST_ALLOW_IN_BAND_SYNC=0) and POSTed /fn/register to its API base URL.
    if (this.registrations === before) throw new Error(`sync(${serveUrl}): out-of-band sync did not reach this executor; point the app's INNGEST_BASE_URL at ${this.url ?? "listen()"}: ${answer.text.slice(0, 300)}`);
    return this.functions;
  }

  /** Drives the runs a previous process left unfinished (journal); call once the app answers. */
  resume(): number {
    const pending = this.runs.filter((r) => r.status === "running" && !this.inflight.has(r.runId));
    for (const run of pending) {
      const fn = this.functions.find((f) => f.id === run.fnId);
      this.opts.logger?.(`resuming run ${run.runId} ${run.fnId} (${Object.keys(run.memo).length} memoised steps)`);
        if (fn) this.track(run, fn);
      else void this.finish(run, { status: "failed", error: { name: "Error", message: `function ${run.fnId} is no longer served by the app` } });
    }
    this.save();
    return pending.length;
  }

  /** Takes events like POST /e/:key: assigns ids, dedupes by `id` (24 h), feeds waits, autoRuns. */
  send(input: EventInput | EventInput[], seed?: string): string[] {
    const ids = (Array.isArray(input) ? input : [input]).map((raw, i) => {
      // An id is an idempotency key; without one the SDK's retry seed plays that part.
      const key = raw.id ?? (seed ? `seed:${seed}:${i}` : undefined);
      const known = key === undefined ? undefined : this.j.seen[key];
      if (known) {
        this.opts.logger?.(`event ${raw.name} ${key} deduplicated`);
        return known[0];
      }
      const event = this.normalize({ ...raw, id: raw.id ?? ulid(Date.now(), key) });
      if (key) this.j.seen[key] = [event.id, Date.now()];
      this.events.push(event);
      this.waits.offer(event);
      if (this.opts.autoRun && !this.closed) {
        for (const fn of this.matching(event)) {
          try { this.start(fn.id, event); } catch (err) { this.warn(String(err)); }
        }
      }
      return event.id;
    });
    this.save(); // accepted events are on disk before the sender hears 200
    return ids;
  }

  /** Drive one run of fnId to completion (onFailure handlers included). */
  async run(fnId: string, event: EventInput): Promise<RunRecord> {
    return this.start(fnId, event).done;
  }

  /** Run a cron-triggered function now, with the event Inngest's scheduler sends. */
  async triggerCron(fnId: string): Promise<RunRecord> {
    const trigger = this.fn(fnId).triggers.find((t) => "cron" in t);
    if (!trigger || !("cron" in trigger)) throw new Error(`local executor: function "${fnId}" has no cron trigger`);
    return this.run(fnId, { name: SCHEDULED_TIMER, data: { cron: trigger.cron } });
  }

  /** Like the dashboard's replay: the same event, a new run id; resolves when it has finished. */
  replay(runId: string): Promise<RunRecord> {
    return this.startReplay(runId).done;
  }

  startReplay(runId: string): { run: RunRecord; done: Promise<RunRecord> } {
    const old = this.runs.find((r) => r.runId === runId);
    if (!old) throw new Error(`local executor: unknown run "${runId}"`);
    return this.start(old.fnId, old.event, { replayOf: runId });
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
        throw new Error(`waitForIdle: ${busy.length} run(s) still running after ${timeoutMs}ms:\n  ${busy.join("\n  ")}`);
      }
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...this.inflight.values()]), new Promise((r) => (timer = setTimeout(r, left)))]);
      clearTimeout(timer);
    }
  }

  private setApp(appId: string, fns: FnConfig[]) {
    this.j.apps[appId] = fns;
    for (const fn of fns) {
      const unsupported = unsupportedSettings(fn);
      if (unsupported.length) this.warn(`${fn.id}: ${unsupported.join(", ")} not modelled by the local executor (ignored)`);
    }
    if (this.opts.crons && !this.closed) this.crons.arm(this.functions);
    this.save();
  }

  private fireCron(fnId: string, cron: string, slot: Date) {
    const id = cronEventId(fnId, slot);
    if (this.j.seen[id] || this.closed) return; // this slot already fired (before a restart)
    const event = this.normalize({ id, name: SCHEDULED_TIMER, data: { cron }, ts: slot.getTime() });
    this.j.seen[id] = [id, Date.now()];
    this.events.push(event);
    try { this.start(fnId, event); } catch (err) { this.warn(String(err)); }
    this.save();
  }

  private start(fnId: string, input: EventInput, extra: Partial<RunRecord> = {}): { run: RunRecord; done: Promise<RunRecord> } {
    const fn = this.fn(fnId);
    if (this.closed) throw new Error("the local executor is closed");
    const max = this.opts.maxRuns ?? 1000;
    if (this.started++ >= max) throw new Error(`local executor: maxRuns (${max}) reached; is an event triggering itself?`);
    const run: RunRecord = {
      runId: ulid(), fnId, event: this.normalize(input), status: "running", attempts: {}, steps: [], log: [], requests: 0,
      startedAt: new Date().toISOString(), failureRunIds: [], memo: {}, stack: [], queue: [{ stepId: "step", attempt: 0 }], version: -1, ...extra,
    };
    this.runs.push(run);
    this.save();
    return { run, done: this.track(run, fn) };
  }

  private track(run: RunRecord, fn: FnConfig): Promise<RunRecord> {
    const done = driveRun(this.host, run, fn)
      .catch((err: unknown): Outcome => ({ status: "failed", error: { name: "LocalExecutorError", message: String(err) } }))
      .then((outcome) => this.finish(run, outcome))
      .finally(() => this.inflight.delete(run.runId));
    this.inflight.set(run.runId, done);
    return done;
  }

  private async finish(run: RunRecord, outcome: Outcome): Promise<RunRecord> {
    if (outcome.status === "interrupted") {
      // Journalled: stays "running" and resumes on the next start. In memory: nothing will resume it.
      if (this.store.file) return run;
      Object.assign(outcome, { status: "cancelled", error: { name: "Cancelled", message: "the local executor was closed" } });
    }
    const final = outcome as Exclude<Outcome, { status: "interrupted" }>;
    run.status = final.status;
    if (final.status === "completed") run.output = final.output;
    else run.error = userError(final.error);
    run.endedAt = new Date().toISOString();
    // A finished run needs no resumable state: the journal keeps its steps and outcome, not the memo.
    delete run.wakeAt;
    delete run.current;
    run.memo = {};
    run.stack = [];
    run.queue = [];
    this.opts.logger?.(`run ${run.runId} ${run.fnId} ${run.status}`);
    const children = final.status === "failed" && run.event.name !== FUNCTION_FAILED ? this.emitFailed(run) : [];
    prune(this.j);
    this.save();
    for (const child of await Promise.all(children)) run.log.push(`onFailure ${child.fnId} ${child.runId} -> ${child.status}`);
    return run;
  }

  /** Like the executor: a permanent failure emits inngest/function.failed, which onFailure (`<fnId>-failure`) is triggered by. */
  private emitFailed(run: RunRecord): Promise<RunRecord>[] {
    const failed = this.normalize({ name: FUNCTION_FAILED, data: { function_id: run.fnId, run_id: run.runId, error: run.error, event: run.event } });
    this.events.push(failed);
    const done: Promise<RunRecord>[] = [];
    try {
      for (const fn of this.matching(failed)) {
        const child = this.start(fn.id, failed, { parentRunId: run.runId });
        run.failureRunIds.push(child.run.runId);
        done.push(child.done);
      }
    } catch (err) {
      this.warn(`onFailure for ${run.runId} not run: ${String(err)}`); // closed, or maxRuns reached
    }
    return done;
  }

  private matching(event: InngestEvent): FnConfig[] {
    return this.waits.matching(this.functions, event);
  }

  private normalize(e: EventInput): InngestEvent {
    return { ...e, id: e.id ?? ulid(), name: e.name, data: isRecord(e.data) ? e.data : {}, ts: e.ts ?? Date.now() };
  }

  private warn(msg: string) {
    this.warnings.push(msg);
    this.opts.logger?.(`warning: ${msg}`);
  }

  private save() {
    if (this.store.file) this.store.save(this.j);
  }

  private sleep(ms: number): Promise<void> {
    if (this.closed || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => { clearTimeout(timer); this.sleepers.delete(wake); resolve(); };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  private invoke(op: Op, run: RunRecord): Promise<RunRecord> {
    const payload = isRecord(op.opts?.payload) ? op.opts.payload : {};
    const event = { name: FUNCTION_INVOKED, data: isRecord(payload.data) ? payload.data : {} };
    return this.start(String(op.opts?.function_id), event, { parentRunId: run.runId }).done;
  }
}

// The run loop of the local executor: drives one run of an inngest@4.24 function over the serve
// protocol the way Inngest's executor does (one request per step, memoised state sent back each
// time, step- and function-level retries with Inngest's backoff). Everything it needs to resume
// (memo, queue, wake time) lives on the RunRecord, which the executor journals after each change.
import { finishDeadline, retryAfterMs } from "./policy";
import {
  RUN_COMPLETE_ID, durationMs, errorMessage, isRecord,
  type FnConfig, type InngestEvent, type Json, type JsonObject, type Op, type QueueItem, type Reply, type RunRecord, type StepResult,
} from "./protocol";
import { logLine, recordStep, stepLabel } from "./steps";

/** Inngest's default when a function sets no `retries`. */
export const DEFAULT_RETRIES = 3;

/** A transport failure that must not be retried (e.g. a bad answer signature). */
export class ProtocolError extends Error {}

export type Outcome =
  | { status: "completed"; output: Json }
  | { status: "failed" | "cancelled"; error: Json }
  /** the executor stopped: the run stays pending and resumes on the next start */
  | { status: "interrupted" };

/** What the loop needs from the executor. */
export interface RunHost {
  isClosed(): boolean;
  readonly maxRequestsPerRun: number;
  readonly checkpointing: boolean;
  /** step.sleep is capped at this (tests: 0, so sleeps pass at once) */
  readonly maxSleepMs: number;
  /** Delay after 0-based attempt n failed. */
  backoff(attempt: number): number;
  /** One request to the app, inside the function's concurrency limits. */
  call(fn: FnConfig, run: RunRecord, url: string, body: JsonObject, version: number): Promise<Reply>;
  waitForEvent(op: Op, run: RunRecord): Promise<InngestEvent | null>;
  invoke(op: Op, run: RunRecord): Promise<RunRecord>;
  /** Receives ops the SDK checkpoints to POST /v1/checkpoint/:runId/async. */
  onCheckpoint(runId: string, sink?: (ops: Op[]) => Promise<void>): void;
  /** Resolves after ms, or early when the executor closes. */
  sleep(ms: number): Promise<void>;
  /** Journals the run (after every change that must survive a restart). */
  save(run: RunRecord): void;
}

const asError = (status: number, url: string, body: Json, text: string): Json =>
  isRecord(body) && typeof body.message === "string"
    ? body
    : { name: "LocalExecutorHttpError", message: `HTTP ${status} from ${url}: ${text.slice(0, 500)}` };
const parse = (text: string): Json => {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return text;
  }
};

export async function driveRun(host: RunHost, run: RunRecord, fn: FnConfig): Promise<Outcome> {
  const cfg = fn.steps.step ?? Object.values(fn.steps)[0];
  if (!cfg) return { status: "failed", error: { name: "Error", message: `function ${fn.id} has no step runtime` } };
  const maxAttempts = (cfg.retries?.attempts ?? DEFAULT_RETRIES) + 1;
  const deadline = finishDeadline(fn, run.startedAt);
  const log = (line: string) => logLine(run, line);
  const fail = (error: Json): Outcome => ({ status: "failed", error });
  // A request in flight when the executor last stopped is asked again (steps are at-least-once).
  if (run.current) {
    if (!run.queue.some((q) => q.stepId === run.current?.stepId)) run.queue.unshift(run.current);
    delete run.current;
  }

  const enqueue = (stepId: string, attempt = 0, front = false) => {
    if (run.queue.some((q) => q.stepId === stepId)) return;
    if (front) run.queue.unshift({ stepId, attempt });
    else run.queue.push({ stepId, attempt });
  };
  const settle = (id: string, result: StepResult) => {
    if (!(id in run.memo)) run.stack.push(id);
    run.memo[id] = result;
    enqueue("step"); // the executor asks the function what comes next
  };
  /** Schedules another attempt after Inngest's backoff, or the delay a RetryAfterError asked for. */
  const retry = (stepId: string, attempt: number, error: Json, retryAfter?: number): number => {
    const delay = retryAfter ?? host.backoff(attempt - 1);
    run.wakeAt = Date.now() + delay;
    log(`  retry ${stepId === "step" ? "function" : stepId.slice(0, 8)} attempt=${attempt} in ${delay}ms: ${errorMessage(error)}`);
    enqueue(stepId, attempt, true);
    return run.wakeAt;
  };

  const applyOps = async (ops: Op[], item: QueueItem, startedAt: string, retryAfter?: number): Promise<Outcome | undefined> => {
    for (const op of ops) {
      const attempt = item.stepId === op.id ? item.attempt : 0;
      switch (op.op) {
        case "StepRun":
        case "Step":
          recordStep(run, op, { status: "completed", attempt, startedAt, output: op.data ?? null });
          settle(op.id, { type: "data", data: op.data ?? null });
          break;
        case "StepError": {
          const stepId = op.id === RUN_COMPLETE_ID ? "step" : op.id;
          const next = (item.stepId === stepId ? item.attempt : 0) + 1;
          if (next < maxAttempts) {
            const at = retry(stepId, next, op.error, retryAfter);
            recordStep(run, op, { status: "retrying", attempt, startedAt, error: op.error, nextRetryAt: at });
          } else {
            recordStep(run, op, { status: "failed", attempt, startedAt, error: op.error });
            if (stepId === "step") return fail(op.error);
            settle(op.id, { type: "error", error: op.error }); // SDK should have said StepFailed
          }
          break;
        }
        case "StepFailed":
          recordStep(run, op, { status: "failed", attempt, startedAt, error: op.error });
          if (op.id === RUN_COMPLETE_ID) return fail(op.error);
          settle(op.id, { type: "error", error: op.error });
          break;
        case "StepPlanned":
          if (!(op.id in run.memo)) enqueue(op.id);
          break;
        case "Sleep": {
          // The sleep is memoised at once; the next request waits until it is over.
          const asked = durationMs(String(op.name ?? "0s"));
          const ms = Math.min(asked, host.maxSleepMs);
          log(`  sleep ${stepLabel(op)} (${op.name}) ${ms < asked ? `capped to ${ms}ms` : `${ms}ms`}`);
          if (ms > 0) run.wakeAt = Date.now() + ms;
          settle(op.id, { type: "data", data: null });
          break;
        }
        case "WaitForEvent": {
          const got = await host.waitForEvent(op, run);
          log(`  waitForEvent ${op.name} -> ${got ? got.id : "timeout"}`);
          settle(op.id, { type: "data", data: got });
          break;
        }
        case "InvokeFunction": {
          const child = await host.invoke(op, run).catch((err: unknown) => ({ status: "failed", error: { name: "Error", message: String(err) } }) as const);
          log(`  invoke ${"runId" in child ? `${child.fnId} -> ${child.runId} ` : ""}${child.status}`);
          settle(op.id, child.status === "completed" ? { type: "data", data: child.output ?? null } : { type: "error", error: child.error });
          break;
        }
        case "DiscoveryRequest":
          enqueue("step");
          break;
        case "RunComplete":
          return { status: "completed", output: op.data ?? null };
        default:
          return fail({ name: "LocalExecutorUnsupported", message: `op ${op.op} (step ${stepLabel(op)}) is not supported by the local executor` });
      }
    }
    return undefined;
  };

  let checkpointed: Outcome | undefined;
  if (host.checkpointing) {
    host.onCheckpoint(run.runId, async (ops) => {
      log(`  checkpoint ${ops.map((o) => `${o.op}:${stepLabel(o)}`).join(",")}`);
      checkpointed ??= await applyOps(ops, { stepId: "step", attempt: 0 }, new Date().toISOString());
    });
  }
  try {
    while (run.queue.length) {
      if (host.isClosed()) return { status: "interrupted" };
      const now = Date.now();
      if (deadline !== undefined && now >= deadline) {
        return { status: "cancelled", error: { name: "FunctionTimeout", message: `The run exceeded its finish timeout (${String((fn.timeouts as JsonObject).finish)})` } };
      }
      if (run.wakeAt && run.wakeAt > now) {
        await host.sleep(Math.min(run.wakeAt, deadline ?? Infinity) - now);
        continue;
      }
      delete run.wakeAt;
      if (run.requests >= host.maxRequestsPerRun) {
        return fail({ name: "LocalExecutorLimit", message: `run exceeded maxRequestsPerRun (${host.maxRequestsPerRun}); does the function loop?` });
      }
      const item = run.queue.shift() as QueueItem;
      run.current = item;
      run.requests++;
      const url = new URL(cfg.runtime.url);
      url.searchParams.set("fnId", fn.id);
      url.searchParams.set("stepId", item.stepId);
      const ctx: JsonObject = {
        run_id: run.runId,
        attempt: item.attempt,
        max_attempts: maxAttempts,
        disable_immediate_execution: false,
        use_api: false,
        stack: { stack: [...run.stack], current: Math.max(run.stack.length - 1, 0) },
      };
      // Without fn_id the SDK never checkpoints; with it, it POSTs steps to our API.
      if (host.checkpointing) Object.assign(ctx, { fn_id: `local-${fn.id}`, qi_id: `${run.runId}-${run.requests}` });
      const body = { event: run.event, events: [run.event], steps: { ...run.memo }, version: run.version, ctx };
      const step = item.stepId === "step" ? "step" : item.stepId.slice(0, 8);
      const startedAt = new Date().toISOString();
      let reply: Reply;
      try {
        reply = await host.call(fn, run, url.href, body, run.version);
      } catch (err) {
        delete run.current;
        const error = { name: "LocalExecutorFetchError", message: err instanceof Error ? err.message : String(err) };
        log(`#${run.requests} ${step} attempt=${item.attempt} -> ${errorMessage(error)}`);
        if (host.isClosed()) return (run.queue.unshift(item), { status: "interrupted" });
        if (err instanceof ProtocolError || item.attempt + 1 >= maxAttempts) return fail(error);
        retry(item.stepId, item.attempt + 1, error);
        host.save(run);
        continue;
      }
      delete run.current;
      const answered = Number(reply.headers.get("x-inngest-req-version"));
      if (answered === 1 || answered === 2) run.version = answered;
      const parsed = parse(reply.text);
      if (checkpointed) return checkpointed;
      if (reply.status === 200) {
        log(`#${run.requests} ${step} attempt=${item.attempt} -> 200 ${reply.text.slice(0, 120)}`);
        return { status: "completed", output: parsed };
      }
      const retryAfter = retryAfterMs(reply.headers.get("retry-after"));
      if (reply.status === 206) {
        const ops = (Array.isArray(parsed) ? parsed : [parsed]) as Op[];
        log(`#${run.requests} ${step} attempt=${item.attempt} -> 206 ${ops.map((o) => `${o.op}:${stepLabel(o)}`).join(",")}`);
        for (const op of ops) if (op.op === "StepError" || op.op === "StepFailed") log(`  ${op.op} ${stepLabel(op)}: ${errorMessage(op.error)}`);
        const outcome = (await applyOps(ops, item, startedAt, retryAfter)) ?? checkpointed;
        if (outcome) return outcome;
        host.save(run);
        continue;
      }
      const error = asError(reply.status, url.href, parsed, reply.text);
      log(`#${run.requests} ${step} attempt=${item.attempt} -> ${reply.status} ${errorMessage(error)}`);
      const retriable = reply.status >= 500 && reply.headers.get("x-inngest-no-retry") !== "true";
      if (!retriable || item.attempt + 1 >= maxAttempts) return fail(error);
      retry(item.stepId, item.attempt + 1, error, retryAfter);
      host.save(run);
    }
    return fail({ name: "LocalExecutorError", message: "the function stopped answering with work before completing" });
  } finally {
    if (host.checkpointing) host.onCheckpoint(run.runId, undefined);
  }
}

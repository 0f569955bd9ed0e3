// The run loop of FakeInngest: drives one run of an inngest@4.24 function over
// the serve protocol the way Inngest's executor does (one request per step,
// memoised state sent back each time, step- and function-level retries).
import {
  RUN_COMPLETE_ID,
  errorMessage,
  isRecord,
  type FnConfig,
  type InngestEvent,
  type Json,
  type JsonObject,
  type Op,
  type Reply,
  type RunRecord,
  type StepResult,
} from "./fake-inngest-protocol";

/** Inngest's default when a function sets no `retries`. */
export const DEFAULT_RETRIES = 3;

/** A transport failure that must not be retried (e.g. a bad answer signature). */
export class ProtocolError extends Error {}

export type Outcome =
  | { status: "completed"; output: Json }
  | { status: "failed" | "cancelled"; error: Json };

/** What the loop needs from FakeInngest. */
export interface RunHost {
  isClosed(): boolean;
  readonly maxRequestsPerRun: number;
  readonly retryDelayMs: number;
  readonly checkpointing: boolean;
  call(url: string, body: JsonObject, version: number): Promise<Reply>;
  waitForEvent(op: Op, run: RunRecord): Promise<InngestEvent | null>;
  invoke(op: Op, run: RunRecord): Promise<RunRecord>;
  /** Receives ops the SDK checkpoints to POST /v1/checkpoint/:runId/async. */
  onCheckpoint(runId: string, sink?: (ops: Op[]) => Promise<void>): void;
}

interface Item {
  stepId: string;
  attempt: number;
}

const label = (op: Op) => op.displayName ?? op.name ?? op.id;
const asError = (status: number, url: string, body: Json, text: string): Json =>
  isRecord(body) && typeof body.message === "string"
    ? body
    : { name: "FakeInngestHttpError", message: `HTTP ${status} from ${url}: ${text.slice(0, 500)}` };
const parse = (text: string): Json => {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return text;
  }
};
const sleep = (ms: number) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());

export async function driveRun(host: RunHost, run: RunRecord, fn: FnConfig): Promise<Outcome> {
  const cfg = fn.steps.step ?? Object.values(fn.steps)[0];
  if (!cfg) return { status: "failed", error: { name: "Error", message: `function ${fn.id} has no step runtime` } };
  const maxAttempts = (cfg.retries?.attempts ?? DEFAULT_RETRIES) + 1;
  const state: Record<string, StepResult> = {};
  const stack: string[] = [];
  const queue: Item[] = [{ stepId: "step", attempt: 0 }];
  let version = -1; // -1: let the SDK decide, then echo what it answers with
  const log = (line: string) => run.log.push(line);
  const fail = (error: Json): Outcome => ({ status: "failed", error });

  const enqueue = (stepId: string, attempt = 0, front = false) => {
    if (queue.some((q) => q.stepId === stepId)) return;
    if (front) queue.unshift({ stepId, attempt });
    else queue.push({ stepId, attempt });
  };
  const settle = (id: string, result: StepResult) => {
    if (!(id in state)) stack.push(id);
    state[id] = result;
    enqueue("step"); // the executor asks the function what comes next
  };
  const bump = (op: Op) => {
    run.attempts[label(op)] = (run.attempts[label(op)] ?? 0) + 1;
  };
  const retry = async (stepId: string, attempt: number, error: Json) => {
    await sleep(host.retryDelayMs);
    log(`  retry ${stepId === "step" ? "function" : stepId.slice(0, 8)} attempt=${attempt}: ${errorMessage(error)}`);
    enqueue(stepId, attempt, true);
  };

  const applyOps = async (ops: Op[], item: Item): Promise<Outcome | undefined> => {
    for (const op of ops) {
      switch (op.op) {
        case "StepRun":
        case "Step":
          bump(op);
          settle(op.id, { type: "data", data: op.data ?? null });
          break;
        case "StepError": {
          bump(op);
          const stepId = op.id === RUN_COMPLETE_ID ? "step" : op.id;
          const attempt = (item.stepId === stepId ? item.attempt : 0) + 1;
          if (attempt < maxAttempts) await retry(stepId, attempt, op.error);
          else if (stepId === "step") return fail(op.error);
          else settle(op.id, { type: "error", error: op.error }); // SDK should have said StepFailed
          break;
        }
        case "StepFailed":
          bump(op);
          if (op.id === RUN_COMPLETE_ID) return fail(op.error);
          settle(op.id, { type: "error", error: op.error });
          break;
        case "StepPlanned":
          if (!(op.id in state)) enqueue(op.id);
          break;
        case "Sleep":
          log(`  sleep ${label(op)} (${op.name}) skipped`);
          settle(op.id, { type: "data", data: null });
          break;
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
          return fail({ name: "FakeInngestUnsupported", message: `op ${op.op} (step ${label(op)}) is not supported by FakeInngest` });
      }
    }
    return undefined;
  };

  let checkpointed: Outcome | undefined;
  if (host.checkpointing) {
    host.onCheckpoint(run.runId, async (ops) => {
      log(`  checkpoint ${ops.map((o) => `${o.op}:${label(o)}`).join(",")}`);
      checkpointed ??= await applyOps(ops, { stepId: "step", attempt: 0 });
    });
  }
  try {
    while (queue.length) {
      if (host.isClosed()) return { status: "cancelled", error: { name: "Cancelled", message: "FakeInngest was closed" } };
      if (run.requests >= host.maxRequestsPerRun) {
        return fail({ name: "FakeInngestLimit", message: `run exceeded maxRequestsPerRun (${host.maxRequestsPerRun}); does the function loop?` });
      }
      const item = queue.shift() as Item;
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
        stack: { stack: [...stack], current: Math.max(stack.length - 1, 0) },
      };
      // Without fn_id the SDK never checkpoints; with it, it POSTs steps to our API.
      if (host.checkpointing) Object.assign(ctx, { fn_id: `fake-${fn.id}`, qi_id: `${run.runId}-${run.requests}` });
      const body = { event: run.event, events: [run.event], steps: { ...state }, version, ctx };
      const step = item.stepId === "step" ? "step" : item.stepId.slice(0, 8);
      let reply: Reply;
      try {
        reply = await host.call(url.href, body, version);
      } catch (err) {
        const error = { name: "FakeInngestFetchError", message: err instanceof Error ? err.message : String(err) };
        log(`#${run.requests} ${step} attempt=${item.attempt} -> ${errorMessage(error)}`);
        if (err instanceof ProtocolError || item.attempt + 1 >= maxAttempts) return fail(error);
        await retry(item.stepId, item.attempt + 1, error);
        continue;
      }
      const answered = Number(reply.headers.get("x-inngest-req-version"));
      if (answered === 1 || answered === 2) version = answered;
      const parsed = parse(reply.text);
      if (checkpointed) return checkpointed;
      if (reply.status === 200) {
        log(`#${run.requests} ${step} attempt=${item.attempt} -> 200 ${reply.text.slice(0, 120)}`);
        return { status: "completed", output: parsed };
      }
      if (reply.status === 206) {
        const ops = (Array.isArray(parsed) ? parsed : [parsed]) as Op[];
        log(`#${run.requests} ${step} attempt=${item.attempt} -> 206 ${ops.map((o) => `${o.op}:${label(o)}`).join(",")}`);
        for (const op of ops) if (op.op === "StepError" || op.op === "StepFailed") log(`  ${op.op} ${label(op)}: ${errorMessage(op.error)}`);
        const outcome = (await applyOps(ops, item)) ?? checkpointed;
        if (outcome) return outcome;
        continue;
      }
      const error = asError(reply.status, url.href, parsed, reply.text);
      log(`#${run.requests} ${step} attempt=${item.attempt} -> ${reply.status} ${errorMessage(error)}`);
      const retriable = reply.status >= 500 && reply.headers.get("x-inngest-no-retry") !== "true";
      if (!retriable || item.attempt + 1 >= maxAttempts) return fail(error);
      await retry(item.stepId, item.attempt + 1, error);
    }
    return fail({ name: "FakeInngestError", message: "the function stopped answering with work before completing" });
  } finally {
    if (host.checkpointing) host.onCheckpoint(run.runId, undefined);
  }
}

import { z } from "zod";
import { devServerUrl, usesLocalExecutor } from "@/lib/executor";

// Reads the local executor's admin API (scripts/local-executor/admin.ts) for the /dev/executor
// inspector, and asks it to replay a run. Development only: the caller checks devToolsAllowed().
// Runs are shown per tenant: a run belongs to the owner its event names (review events carry
// ownerId; onFailure runs carry the failed run's event); scheduler crons belong to nobody and
// are shown to everyone.

const attemptSchema = z.object({ attempt: z.number(), startedAt: z.string(), endedAt: z.string(), error: z.string().optional() });
const stepSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(["completed", "failed", "retrying"]),
  attempts: z.array(attemptSchema),
  output: z.unknown().optional(),
  error: z.unknown().optional(),
  nextRetryAt: z.string().optional(),
});
const eventSchema = z.object({ id: z.string(), name: z.string(), data: z.record(z.string(), z.unknown()), ts: z.number() });
const runSchema = z.object({
  runId: z.string(),
  fnId: z.string(),
  event: eventSchema,
  status: z.enum(["running", "completed", "failed", "cancelled"]),
  output: z.unknown().optional(),
  error: z.unknown().optional(),
  steps: z.array(stepSchema).default([]),
  startedAt: z.string(),
  endedAt: z.string().optional(),
  replayOf: z.string().optional(),
  parentRunId: z.string().optional(),
  wakeAt: z.number().optional(),
});
export type ExecutorRun = z.infer<typeof runSchema>;
export type ExecutorStep = z.infer<typeof stepSchema>;

export class ExecutorUnavailableError extends Error {}

const LIMIT = 200;

async function admin(path: string, init?: RequestInit): Promise<unknown> {
  if (!usesLocalExecutor()) throw new ExecutorUnavailableError("The app is not served by the local executor");
  let res: Response;
  try {
    res = await fetch(`${devServerUrl()}/__admin/${path}`, { ...init, cache: "no-store", signal: AbortSignal.timeout(3_000) });
  } catch (err) {
    throw new ExecutorUnavailableError(`The local executor at ${devServerUrl()} does not answer: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (res.status === 404) return null;
  if (!res.ok) throw new ExecutorUnavailableError(`The local executor answered HTTP ${res.status}`);
  return res.json();
}

function ownerOf(run: ExecutorRun): string | null {
  const data = run.event.data;
  if (typeof data.ownerId === "string") return data.ownerId;
  const inner = z.object({ data: z.object({ ownerId: z.string() }) }).safeParse(data.event);
  return inner.success ? inner.data.data.ownerId : null;
}

const visibleTo = (ownerId: string) => (run: ExecutorRun) => {
  const owner = ownerOf(run);
  return owner === null || owner === ownerId;
};

/** Newest first; `focus` narrows to one run and the runs it started or that replay it. */
export async function listExecutorRuns(ownerId: string, focus?: string): Promise<ExecutorRun[]> {
  const runs = z.array(runSchema).parse(await admin("runs")).filter(visibleTo(ownerId));
  const picked = focus ? runs.filter((r) => r.runId === focus || r.replayOf === focus || r.parentRunId === focus) : runs;
  return picked.reverse().slice(0, LIMIT);
}

/** Re-runs a run's event as a new run (the Inngest dashboard's Replay); null when not the tenant's. */
export async function replayExecutorRun(ownerId: string, runId: string): Promise<ExecutorRun | null> {
  const found = await admin(`runs/${encodeURIComponent(runId)}`);
  const run = found === null ? null : runSchema.parse(found);
  if (!run || !visibleTo(ownerId)(run)) return null;
  return runSchema.parse(await admin(`replay/${encodeURIComponent(runId)}?wait=0`, { method: "POST" }));
}

/** Wall time of a step: first attempt's start to last attempt's end (backoff included). */
export function stepDurationMs(step: ExecutorStep): number | null {
  const first = step.attempts[0];
  const last = step.attempts.at(-1);
  return first && last ? Date.parse(last.endedAt) - Date.parse(first.startedAt) : null;
}

// The inspector's view of a run's steps: one record per step with every attempt's timing, so the
// backoff between attempts is visible. Pure bookkeeping on the RunRecord.
import { errorMessage, type Json, type Op, type RunRecord, type StepRecord, type StepStatus } from "./protocol";

const MAX_OUTPUT_CHARS = 4_000;
const MAX_LOG_LINES = 300;

export const stepLabel = (op: Op) => op.displayName ?? op.name ?? op.id;

/** Keeps what the inspector shows bounded: large outputs are cut to a preview. */
function preview(value: Json): Json {
  const text = JSON.stringify(value ?? null);
  return text.length <= MAX_OUTPUT_CHARS ? (value ?? null) : `${text.slice(0, MAX_OUTPUT_CHARS)}… (${text.length} chars)`;
}

export function recordStep(
  run: RunRecord,
  op: Op,
  o: { status: StepStatus; attempt: number; startedAt: string; output?: Json; error?: Json; nextRetryAt?: number },
): void {
  let step = run.steps.find((s) => s.id === op.id);
  if (!step) {
    step = { id: op.id, name: stepLabel(op), status: o.status, attempts: [] } satisfies StepRecord;
    run.steps.push(step);
  }
  step.status = o.status;
  step.attempts.push({
    attempt: o.attempt,
    startedAt: o.startedAt,
    endedAt: new Date().toISOString(),
    ...(o.error !== undefined && { error: errorMessage(o.error) }),
  });
  if (o.output !== undefined) step.output = preview(o.output);
  if (o.error !== undefined) step.error = preview(o.error);
  if (o.status === "completed") delete step.error;
  if (o.nextRetryAt) step.nextRetryAt = new Date(o.nextRetryAt).toISOString();
  else delete step.nextRetryAt;
  run.attempts[step.name] = (run.attempts[step.name] ?? 0) + 1;
}

export function logLine(run: RunRecord, line: string): void {
  run.log.push(line);
  if (run.log.length > MAX_LOG_LINES) run.log.splice(0, run.log.length - MAX_LOG_LINES);
}

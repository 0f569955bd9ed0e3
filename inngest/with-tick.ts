import { cron, type GetStepTools } from "inngest";
import { inngest } from "@/inngest/client";
import type { Prisma, TickKind } from "@/lib/generated/prisma/client";
import { closeTick, emptyCounts, openTick, type TickCounts } from "@/lib/scheduler/ticks";

type Step = GetStepTools<typeof inngest>;
export type TickSummary = { counts: TickCounts; details: object };
/** The work of one tick; what it returns is added to the function's output next to the counts. */
type Work = (step: Step, startedAt: Date, report: (summary: TickSummary) => void, attempt: number) => Promise<object | void>;

/**
 * Wraps a scheduler cron function's work in its SchedulerTick (the scheduler's heartbeat and audit log):
 * "open-tick", the work's own steps, then "close-tick" with counts, or "close-tick-failed" with the
 * error, rethrown so Inngest retries. The work reports its summary as soon as it has one, so a failure
 * in a later step (sending events) still records what was done.
 */
async function withTick(step: Step, kind: TickKind, attempt: number, work: Work) {
  const tick = await step.run("open-tick", () => openTick(kind));
  let summary: TickSummary = { counts: emptyCounts(), details: {} };
  let extra: object | void;
  try {
    extra = await work(step, new Date(tick.startedAt), (s) => (summary = s), attempt);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const { counts } = summary;
    await step.run("close-tick-failed", () => closeTick({ tickId: tick.tickId, counts, error: message }));
    throw err;
  }
  const { counts, details } = summary;
  const closed = await step.run("close-tick", () => closeTick({ tickId: tick.tickId, counts, details: details as Prisma.InputJsonObject }));
  return { ...closed, ...counts, ...extra };
}

/**
 * A scheduler cron function (dispatcher, reconciler): one at a time (each is correct when concurrent,
 * one at a time is simply cheaper), retried twice, and recorded as a tick of `kind`.
 */
export function schedulerCron(opts: { id: string; name: string; cron: string; kind: TickKind }, work: Work) {
  return inngest.createFunction(
    { id: opts.id, name: opts.name, triggers: [cron(opts.cron)], concurrency: { limit: 1 }, retries: 2 },
    ({ step, attempt }) => withTick(step, opts.kind, attempt, work),
  );
}

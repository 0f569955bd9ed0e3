import { cron, type GetStepTools } from "inngest";
import { inngest } from "@/inngest/client";
import type { Prisma, TickKind } from "@/lib/generated/prisma/client";
import { closeTick, emptyCounts, openTick, SCHEDULER_FINISH_TIMEOUT, type TickCounts } from "@/lib/scheduler/ticks";

type Step = GetStepTools<typeof inngest>;
export type TickSummary = { counts: TickCounts; details: object };
export type TickContext = {
  step: Step;
  /** the tick's instant: the work is done as of then */
  now: Date;
  /** records the work's summary as soon as it has one */
  report: (summary: TickSummary) => void;
  attempt: number;
  /** set when an earlier tick died: its half-done work (e.g. queued runs whose events were not sent) starts here */
  recoverSince?: Date;
};
/** The work of one tick; what it returns is added to the function's output next to the counts. */
type Work = (ctx: TickContext) => Promise<object | void>;

/**
 * Wraps a scheduler cron function's work in its SchedulerTick (the scheduler's heartbeat and audit log):
 * "open-tick" (which closes ticks of dead processes), the work's own steps, then "close-tick" with
 * counts, or "close-tick-failed" with the error, rethrown so Inngest retries. The work reports its
 * summary as soon as it has one, so a failure in a later step (sending events) still records what was done.
 */
async function withTick(step: Step, kind: TickKind, ctx: { attempt: number; runId: string }, work: Work) {
  const { attempt } = ctx;
  // The tick's id is the Inngest run's: a duplicate of this step opens the same tick.
  const tick = await step.run("open-tick", () => openTick(kind, new Date(), `tick_${ctx.runId}`));
  let summary: TickSummary = { counts: emptyCounts(), details: {} };
  let extra: object | void;
  try {
    const recoverSince = tick.recoverSince ? new Date(tick.recoverSince) : undefined;
    extra = await work({ step, now: new Date(tick.startedAt), report: (s) => (summary = s), attempt, recoverSince });
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
 * one at a time is simply cheaper), retried twice, cancelled past its finish timeout (so a tick left
 * RUNNING longer than that is known dead), and recorded as a tick of `kind`.
 */
export function schedulerCron(opts: { id: string; name: string; cron: string; kind: TickKind }, work: Work) {
  return inngest.createFunction(
    {
      id: opts.id,
      name: opts.name,
      triggers: [cron(opts.cron)],
      concurrency: { limit: 1 },
      retries: 2,
      timeouts: { finish: SCHEDULER_FINISH_TIMEOUT },
    },
    ({ step, attempt, runId }) => withTick(step, opts.kind, { attempt, runId }, work),
  );
}

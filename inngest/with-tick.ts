import type { GetStepTools } from "inngest";
import type { inngest } from "@/inngest/client";
import type { Prisma, TickKind } from "@/lib/generated/prisma/client";
import { closeTick, emptyCounts, openTick, type TickCounts } from "@/lib/scheduler/ticks";

type Step = GetStepTools<typeof inngest>;
export type TickSummary = { counts: TickCounts; details: object };

/**
 * Wraps a scheduler cron function in its SchedulerTick (the scheduler's heartbeat and audit log):
 * "open-tick", the work's own steps, then "close-tick" with counts, or "close-tick-failed" with the
 * error, rethrown so Inngest retries. The work reports its summary as soon as it has one, so a failure
 * in a later step (sending events) still records what was done.
 */
export async function withTick(
  step: Step,
  kind: TickKind,
  work: (startedAt: Date, report: (summary: TickSummary) => void) => Promise<void>,
) {
  const tick = await step.run("open-tick", () => openTick(kind));
  let summary: TickSummary = { counts: emptyCounts(), details: {} };
  try {
    await work(new Date(tick.startedAt), (s) => (summary = s));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const { counts } = summary;
    await step.run("close-tick-failed", () => closeTick({ tickId: tick.tickId, counts, error: message }));
    throw err;
  }
  const { counts, details } = summary;
  return step.run("close-tick", () => closeTick({ tickId: tick.tickId, counts, details: details as Prisma.InputJsonObject }));
}

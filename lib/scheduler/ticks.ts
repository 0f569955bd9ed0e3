import { systemDb, Prisma } from "@/lib/db";
import type { TickKind } from "@/lib/generated/prisma/client";

// SchedulerTick rows: the heartbeat and audit log of the scheduler's own cron functions.

export type TickCounts = { due: number; dispatched: number; skipped: number; missed: number; failed: number; repaired?: number };
export const emptyCounts = (): TickCounts => ({ due: 0, dispatched: 0, skipped: 0, missed: 0, failed: 0 });

export type OpenedTick = { tickId: string; startedAt: string };

export async function openTick(kind: TickKind, now = new Date()): Promise<OpenedTick> {
  const tick = await systemDb().schedulerTick.create({ data: { kind, startedAt: now, outcome: "RUNNING" } });
  return { tickId: tick.id, startedAt: tick.startedAt.toISOString() };
}

export type CloseTickInput = {
  tickId: string;
  counts: TickCounts;
  details?: Prisma.InputJsonObject;
  /** Set when the tick failed: its outcome becomes FAILURE with this message. */
  error?: string;
  now?: Date;
};

export async function closeTick({ tickId, counts, details, error, now = new Date() }: CloseTickInput) {
  const tick = await systemDb().schedulerTick.findUniqueOrThrow({ where: { id: tickId }, select: { startedAt: true } });
  const durationMs = Math.max(0, now.getTime() - tick.startedAt.getTime());
  await systemDb().schedulerTick.update({
    where: { id: tickId },
    data: {
      finishedAt: now,
      durationMs,
      outcome: error === undefined ? "SUCCESS" : "FAILURE",
      error: error?.slice(0, 2000) ?? null,
      dueCount: counts.due,
      dispatched: counts.dispatched,
      skipped: counts.skipped,
      missed: counts.missed,
      failed: counts.failed,
      repaired: counts.repaired ?? 0,
      ...(details ? { details } : {}),
    },
  });
  return { tickId, durationMs, outcome: error === undefined ? "SUCCESS" : "FAILURE" };
}

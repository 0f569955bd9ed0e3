import { systemDb, Prisma } from "@/lib/db";
import { logEvent } from "@/lib/log";
import type { TickKind } from "@/lib/generated/prisma/client";

// SchedulerTick rows: the heartbeat and audit log of the scheduler's own cron functions.

export type TickCounts = { due: number; dispatched: number; skipped: number; missed: number; failed: number; repaired?: number };
export const emptyCounts = (): TickCounts => ({ due: 0, dispatched: 0, skipped: 0, missed: 0, failed: 0 });

/**
 * Scheduler crons finish within this (Inngest cancels them at SCHEDULER_FINISH_TIMEOUT): a tick still
 * RUNNING after it belongs to a process that died, and is closed as failed by the next tick.
 */
export const STALE_TICK_MS = 3 * 60_000;
export const SCHEDULER_FINISH_TIMEOUT = "2m";
export const STALE_TICK_ERROR = "timed_out: the tick never closed (its process stopped or Inngest cancelled it)";

/** How far back a tick looks for failed ticks whose queued runs may be unsent (older ones: the reconciler). */
export const RECOVER_FAILED_MS = 60 * 60_000;

/** recoverSince: the start of the oldest stale tick closed here; work it left half done starts there. */
export type OpenedTick = { tickId: string; startedAt: string; recoverSince: string | null };

/**
 * Closes this kind's stale ticks as failed (counted like any failure), then opens a new one. With
 * `tickId` (derived from the Inngest run) two copies of the step open the same tick, not two.
 */
export async function openTick(kind: TickKind, now = new Date(), tickId?: string): Promise<OpenedTick> {
  const stale = await systemDb().schedulerTick.findMany({
    where: { kind, outcome: "RUNNING", startedAt: { lt: new Date(now.getTime() - STALE_TICK_MS) } },
    select: { id: true, startedAt: true },
    orderBy: { startedAt: "asc" },
  });
  for (const t of stale) {
    await systemDb().schedulerTick.updateMany({
      where: { id: t.id, outcome: "RUNNING" },
      data: { outcome: "FAILURE", finishedAt: now, durationMs: now.getTime() - t.startedAt.getTime(), error: STALE_TICK_ERROR },
    });
  }
  const tick = tickId
    ? await systemDb()
        .schedulerTick.createMany({ data: [{ id: tickId, kind, startedAt: now, outcome: "RUNNING" }], skipDuplicates: true })
        .then(() => systemDb().schedulerTick.findUniqueOrThrow({ where: { id: tickId } }))
    : await systemDb().schedulerTick.create({ data: { kind, startedAt: now, outcome: "RUNNING" } });
  logEvent("tick.start", { kind, tick_id: tick.id, closed_stale: stale.length });
  // Ticks that failed just before this one (a later dispatch batch failing after earlier ones were
  // queued) may have left queued runs unsent: sending starts at the oldest of them, too.
  const recent = await systemDb().schedulerTick.findMany({
    where: { kind, outcome: { not: "RUNNING" }, startedAt: { lt: tick.startedAt, gte: new Date(now.getTime() - RECOVER_FAILED_MS) } },
    select: { startedAt: true, outcome: true },
    orderBy: { startedAt: "desc" },
    take: 100,
  });
  const firstOk = recent.findIndex((t) => t.outcome !== "FAILURE");
  const failedRun = firstOk === -1 ? recent : recent.slice(0, firstOk);
  const starts = [...stale.map((t) => t.startedAt), ...failedRun.map((t) => t.startedAt)].map((d) => d.getTime());
  return { tickId: tick.id, startedAt: tick.startedAt.toISOString(), recoverSince: starts.length ? new Date(Math.min(...starts)).toISOString() : null };
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
  logEvent("tick.end", { tick_id: tickId, outcome: error === undefined ? "SUCCESS" : "FAILURE", duration_ms: durationMs, ...counts, ...(error ? { error: error.slice(0, 300) } : {}) }, error === undefined ? "info" : "warn");
  return { tickId, durationMs, outcome: error === undefined ? "SUCCESS" : "FAILURE" };
}

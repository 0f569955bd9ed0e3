import "server-only";
import { systemDb } from "@/lib/db";
import type { TickOutcome } from "@/lib/generated/prisma/client";
import { RUNNING_WITHIN_MS, TICK_HOURS } from "./schemas";
import { STALE_TICK_MS } from "./ticks";

// The dispatcher's heartbeat, read from SchedulerTick rows (platform rows: systemDb). Everything here
// is platform health (when ticks ran, how long they took, whether they failed); no tick's counts are
// read, since they add up every tenant's work.

export type TickSample = { startedAt: Date; outcome: TickOutcome; durationMs: number | null };
export type ShownOutcome = "running" | "success" | "failure" | "timed_out";
/** A silence of the dispatcher: `to` is the tick that ended it, null while it lasts. */
export type DownPeriod = { from: Date; to: Date | null };

/** A RUNNING tick older than STALE_TICK_MS belongs to a process that died: the next tick closes it as failed. */
export const isStale = (t: TickSample, now: Date) => t.outcome === "RUNNING" && now.getTime() - t.startedAt.getTime() > STALE_TICK_MS;

export function shownOutcome(t: TickSample, now: Date): ShownOutcome {
  if (isStale(t, now)) return "timed_out";
  return t.outcome === "SUCCESS" ? "success" : t.outcome === "FAILURE" ? "failure" : "running";
}

export type Heartbeat = {
  running: boolean;
  lastTick: TickSample | null;
  lastSuccessAt: Date | null;
  /** FAILURE ticks since the last success, plus a stale RUNNING one (it will be closed as failed) */
  consecutiveFailures: number;
};

export async function readHeartbeat(now = new Date()): Promise<Heartbeat> {
  const select = { startedAt: true, outcome: true, durationMs: true } as const;
  const [lastTick, lastSuccess] = await Promise.all([
    systemDb().schedulerTick.findFirst({ where: { kind: "DISPATCH" }, orderBy: { startedAt: "desc" }, select }),
    systemDb().schedulerTick.findFirst({ where: { kind: "DISPATCH", outcome: "SUCCESS" }, orderBy: { startedAt: "desc" }, select }),
  ]);
  const consecutiveFailures = await systemDb().schedulerTick.count({
    where: {
      kind: "DISPATCH",
      OR: [{ outcome: "FAILURE" }, { outcome: "RUNNING", startedAt: { lt: new Date(now.getTime() - STALE_TICK_MS) } }],
      ...(lastSuccess ? { startedAt: { gt: lastSuccess.startedAt } } : {}),
    },
  });
  return {
    running: !!lastTick && now.getTime() - lastTick.startedAt.getTime() <= RUNNING_WITHIN_MS,
    lastTick,
    lastSuccessAt: lastSuccess?.startedAt ?? null,
    consecutiveFailures,
  };
}

const HOUR_MS = 3_600_000;

/** Start of the TICK_HOURS-hour window that ends with the current (partial) UTC hour. */
export const tickWindowStart = (now: Date) => new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - (TICK_HOURS - 1) * HOUR_MS);

/** Dispatcher ticks since `from` (oldest first) and the latest one before it, for gaps that straddle `from`. */
export async function readTicksSince(from: Date): Promise<{ before: Date | null; ticks: TickSample[] }> {
  const [before, ticks] = await Promise.all([
    systemDb().schedulerTick.findFirst({ where: { kind: "DISPATCH", startedAt: { lt: from } }, orderBy: { startedAt: "desc" }, select: { startedAt: true } }),
    systemDb().schedulerTick.findMany({
      where: { kind: "DISPATCH", startedAt: { gte: from } },
      orderBy: { startedAt: "asc" },
      select: { startedAt: true, outcome: true, durationMs: true },
    }),
  ]);
  return { before: before?.startedAt ?? null, ticks };
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export type HourBucket = { hour: Date; ticks: number; failures: number; p50Ms: number | null; maxMs: number | null };

/** Ticks per UTC hour over the window, empty hours included (a silent hour is the point of the chart). */
export function tickHours(ticks: TickSample[], now: Date): HourBucket[] {
  const start = tickWindowStart(now).getTime();
  const buckets = Array.from({ length: TICK_HOURS }, (_, i) => ({ hour: new Date(start + i * HOUR_MS), ticks: 0, failures: 0, durations: [] as number[] }));
  for (const t of ticks) {
    const b = buckets[Math.floor((t.startedAt.getTime() - start) / HOUR_MS)];
    if (!b) continue;
    b.ticks++;
    const outcome = shownOutcome(t, now);
    if (outcome === "failure" || outcome === "timed_out") b.failures++;
    if (t.durationMs !== null) b.durations.push(t.durationMs);
  }
  return buckets.map(({ durations, ...b }) => {
    const sorted = durations.sort((x, y) => x - y);
    return { ...b, p50Ms: percentile(sorted, 50), maxMs: sorted.at(-1) ?? null };
  });
}

/**
 * Silences longer than RUNNING_WITHIN_MS between `from` and `now`. `before` is the last tick before
 * `from` (null: none, so the silence starts at `from`). A slot s was due while the scheduler was down
 * when the first tick at or after s came more than RUNNING_WITHIN_MS later (or has not come): for a
 * period {from: a, to: b} that is a < s < b - RUNNING_WITHIN_MS (`to` null: b = now).
 */
export function downPeriods(ticks: TickSample[], from: Date, now: Date, before: Date | null): DownPeriod[] {
  const periods: DownPeriod[] = [];
  let previous = before ?? from;
  for (const t of ticks) {
    if (t.startedAt.getTime() - previous.getTime() > RUNNING_WITHIN_MS) periods.push({ from: previous, to: t.startedAt });
    previous = t.startedAt;
  }
  if (now.getTime() - previous.getTime() > RUNNING_WITHIN_MS) periods.push({ from: previous, to: null });
  return periods;
}

/** The open interval of slot times a down period leaves unrun: (from, end - RUNNING_WITHIN_MS). */
export const unrunSlotRange = (p: DownPeriod, now: Date) => ({ after: p.from, before: new Date((p.to ?? now).getTime() - RUNNING_WITHIN_MS) });

import "server-only";
import { Prisma, systemDb } from "@/lib/db";

// The alert sweep's own heartbeat (SchedulerTick kind ALERT_SWEEP): the dead-man rule blames the
// dispatcher for a silence only while the sweep itself was watching (Sentry Crons' lesson: a monitor
// must not blame the job for the monitor's own silence).

/** A gap longer than this between two sweeps (they run every minute) means the sweep was down. */
export const SWEEP_GAP_MS = 3 * 60_000;
/** The dead-man's longest setting (24 h) plus slack: older heartbeats never matter. */
const LOOK_BACK_MS = 25 * 60 * 60_000;

/** Records this sweep; returns since when the sweep has run without a gap (`now` when it just resumed). */
export async function sweepRunningSince(now: Date): Promise<Date> {
  await systemDb().schedulerTick.create({ data: { kind: "ALERT_SWEEP", outcome: "SUCCESS", startedAt: now, finishedAt: now, durationMs: 0 } });
  const from = new Date(now.getTime() - LOOK_BACK_MS).toISOString();
  const rows = await systemDb().$queryRaw<{ since: Date | null }[]>(Prisma.sql`
    SELECT max("startedAt") AS since FROM (
      SELECT "startedAt", lag("startedAt") OVER (ORDER BY "startedAt") AS prev
      FROM "SchedulerTick"
      WHERE kind = 'ALERT_SWEEP' AND "startedAt" > ${from}::timestamp(3) AND "startedAt" <= ${now.toISOString()}::timestamp(3)
    ) t
    WHERE prev IS NULL OR "startedAt" - prev > ${SWEEP_GAP_MS} * interval '1 millisecond'`);
  return rows[0]?.since ?? now;
}

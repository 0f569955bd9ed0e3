import "server-only";
import { Prisma, systemDb } from "@/lib/db";
import { sleep } from "./http";

// Request pacing shared by every run and app instance that calls a provider for one connection: one
// RateLimitBucket row per (kind, connection) holds the earliest instant the next call may leave
// ("refilledAt") and the number of slots ever taken ("tokens"). A caller reserves a slot with one atomic
// upsert (UPDATE ... RETURNING under the row lock), which moves the row's instant one gap on and returns
// the slot it took, and waits until then. The database's clock decides, so instances with skewed clocks
// still keep the gap. "refilledAt" is TIMESTAMP without zone holding UTC (as Prisma writes it), so every
// read and write here goes through NOW_UTC: the session's TimeZone (and its DST shifts) never enters.

export type PaceKind = "hubspot-search" | "hubspot-call";

const key = (kind: PaceKind, connectionId: string) => `${kind}:${connectionId}`;
const NOW_UTC = Prisma.sql`(clock_timestamp() AT TIME ZONE 'UTC')`;

export type Pace = { gapMs: number; /** calls that may go at once after a quiet spell (1: none) */ burst: number };

/** How far ahead of the row's instant a call may leave (the burst allowance). */
const allowanceMs = (pace: Pace) => (Math.max(1, pace.burst) - 1) * pace.gapMs;

/**
 * Reserves the next slot and resolves when it comes: a generic cell-rate limiter. The row's instant
 * moves one gap on per call; a call waits until that instant minus the burst allowance. With burst 1
 * the calls leave at least `gapMs` apart. Resolves to the time it waited (ms).
 */
export async function waitForSlot(kind: PaceKind, connectionId: string, pace: Pace, signal?: AbortSignal): Promise<number> {
  const { gapMs } = pace;
  const [row] = await systemDb().$queryRaw<{ waitMs: number }[]>`
    INSERT INTO "RateLimitBucket" AS b (key, tokens, "refilledAt")
    VALUES (${key(kind, connectionId)}, 1, ${NOW_UTC} + make_interval(secs => ${gapMs}::float8 / 1000))
    ON CONFLICT (key) DO UPDATE
      SET "refilledAt" = GREATEST(b."refilledAt", ${NOW_UTC}) + make_interval(secs => ${gapMs}::float8 / 1000), tokens = b.tokens + 1
    RETURNING (EXTRACT(EPOCH FROM (b."refilledAt" - ${NOW_UTC})) * 1000 - ${gapMs + allowanceMs(pace)}::float8)::float8 AS "waitMs"`;
  const wait = Math.max(0, row?.waitMs ?? 0);
  if (wait > 0) await sleep(wait, signal);
  return wait;
}

/**
 * No slot before `ms` from now (the provider said the budget is spent). The burst allowance is added,
 * since a call may leave that far ahead of the row's instant: without it a short deferral of a bursting
 * kind would hold nobody.
 */
export async function deferSlots(kind: PaceKind, connectionId: string, ms: number, pace: Pace): Promise<void> {
  await systemDb().$executeRaw`
    UPDATE "RateLimitBucket" SET "refilledAt" = GREATEST("refilledAt", ${NOW_UTC} + make_interval(secs => ${ms + allowanceMs(pace)}::float8 / 1000))
    WHERE key = ${key(kind, connectionId)}`;
}

/** Slots taken so far on a connection's pacing row (0 when none). */
export async function slotsTaken(kind: PaceKind, connectionId: string): Promise<number> {
  const row = await systemDb().rateLimitBucket.findUnique({ where: { key: key(kind, connectionId) }, select: { tokens: true } });
  return row?.tokens ?? 0;
}

/** A deleted connection's pacing rows. */
export async function forgetPacing(connectionId: string): Promise<void> {
  const kinds: PaceKind[] = ["hubspot-search", "hubspot-call"];
  await systemDb().rateLimitBucket.deleteMany({ where: { key: { in: kinds.map((k) => key(k, connectionId)) } } });
}

import "server-only";
import { systemDb } from "@/lib/db";
import { sleep } from "./http";

// Request pacing shared by every run and app instance that calls a provider for one connection: one
// RateLimitBucket row per (kind, connection) holds the earliest instant the next call may leave
// ("refilledAt"; "tokens" is unused here). A caller reserves a slot with one atomic upsert (UPDATE ...
// RETURNING under the row lock), which moves the row's instant one gap on and returns the slot it
// took, and waits until then. The database's
// clock decides, so instances with skewed clocks still keep the gap.

export type PaceKind = "hubspot-search" | "hubspot-call";

const key = (kind: PaceKind, connectionId: string) => `${kind}:${connectionId}`;

export type Pace = { gapMs: number; /** calls that may go at once after a quiet spell (1: none) */ burst: number };

/**
 * Reserves the next slot and resolves when it comes: a generic cell-rate limiter. The row's instant
 * moves one gap on per call; a call waits until that instant minus the burst allowance. With burst 1
 * the calls leave at least `gapMs` apart.
 */
export async function waitForSlot(kind: PaceKind, connectionId: string, pace: Pace, signal?: AbortSignal): Promise<void> {
  const { gapMs } = pace;
  const allowanceMs = (Math.max(1, pace.burst) - 1) * gapMs;
  const [row] = await systemDb().$queryRaw<{ waitMs: number }[]>`
    INSERT INTO "RateLimitBucket" AS b (key, tokens, "refilledAt")
    VALUES (${key(kind, connectionId)}, 0, clock_timestamp() + make_interval(secs => ${gapMs}::float8 / 1000))
    ON CONFLICT (key) DO UPDATE
      SET "refilledAt" = GREATEST(b."refilledAt", clock_timestamp()) + make_interval(secs => ${gapMs}::float8 / 1000)
    RETURNING (EXTRACT(EPOCH FROM (b."refilledAt" - clock_timestamp())) * 1000 - ${gapMs + allowanceMs}::float8)::float8 AS "waitMs"`;
  const wait = row?.waitMs ?? 0;
  if (wait > 0) await sleep(wait, signal);
}

/** No slot before `ms` from now (the provider said the budget is spent). */
export async function deferSlots(kind: PaceKind, connectionId: string, ms: number): Promise<void> {
  await systemDb().$executeRaw`
    UPDATE "RateLimitBucket" SET "refilledAt" = GREATEST("refilledAt", clock_timestamp() + make_interval(secs => ${ms}::float8 / 1000))
    WHERE key = ${key(kind, connectionId)}`;
}

/** A deleted connection's pacing rows. */
export async function forgetPacing(connectionId: string): Promise<void> {
  const kinds: PaceKind[] = ["hubspot-search", "hubspot-call"];
  await systemDb().rateLimitBucket.deleteMany({ where: { key: { in: kinds.map((k) => key(k, connectionId)) } } });
}

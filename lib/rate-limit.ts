import { SHORT_TX, systemDb } from "@/lib/db";
import { AppError } from "@/lib/errors";

// Token buckets per (limit name, key), kept in Postgres so every app instance spends from the same
// budget. A bucket holds `limit` tokens and refills continuously at `limit` per `windowMs`.

export type RateLimit = { limit: number; windowMs: number };
export type RateLimitResult = { allowed: boolean; remaining: number; retryAfterMs: number };
export type Bucket = { tokens: number; at: number };

export const RUN_NOW_LIMIT: RateLimit = { limit: 10, windowMs: 60_000 };
/** Replays (one run or a range) share one budget per tenant. */
export const REPLAY_LIMIT: RateLimit = { limit: 10, windowMs: 60_000 };

/** The bucket after refilling to `now` and spending one token if there is one (pure). */
export function spend(bucket: Bucket | null, { limit, windowMs }: RateLimit, now: number): { bucket: Bucket; result: RateLimitResult } {
  const perMs = limit / windowMs;
  const tokens = bucket ? Math.min(limit, bucket.tokens + Math.max(0, now - bucket.at) * perMs) : limit;
  if (tokens >= 1) return { bucket: { tokens: tokens - 1, at: now }, result: { allowed: true, remaining: Math.floor(tokens - 1), retryAfterMs: 0 } };
  return { bucket: { tokens, at: now }, result: { allowed: false, remaining: 0, retryAfterMs: Math.ceil((1 - tokens) / perMs) } };
}

/** Takes one token from the shared bucket; the row lock makes concurrent takers (any instance) queue up. */
export async function takeToken(name: string, key: string, limit: RateLimit, now = new Date()): Promise<RateLimitResult> {
  const id = `${name}:${key}`;
  return systemDb().$transaction(async (tx) => {
    await tx.$executeRaw`INSERT INTO "RateLimitBucket" (key, tokens, "refilledAt") VALUES (${id}, ${limit.limit}, ${now}) ON CONFLICT (key) DO NOTHING`;
    const [row] = await tx.$queryRaw<{ tokens: number; refilledAt: Date }[]>`
      SELECT tokens, "refilledAt" FROM "RateLimitBucket" WHERE key = ${id} FOR UPDATE`;
    // Instances' clocks differ, and this one was read before the lock: never move the bucket back in time.
    const at = Math.max(now.getTime(), row?.refilledAt.getTime() ?? 0);
    const { bucket, result } = spend(row ? { tokens: row.tokens, at: row.refilledAt.getTime() } : null, limit, at);
    await tx.$executeRaw`UPDATE "RateLimitBucket" SET tokens = ${bucket.tokens}, "refilledAt" = ${new Date(bucket.at)} WHERE key = ${id}`;
    return result;
  }, SHORT_TX);
}

/** Takes a token or throws rate_limited (lib/http.ts adds the Retry-After header). */
export async function requireToken(name: string, key: string, limit: RateLimit): Promise<void> {
  const result = await takeToken(name, key, limit);
  if (result.allowed) return;
  const seconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
  throw new AppError("rate_limited", `Too many requests; try again in ${seconds} s`, { retry_after_seconds: seconds });
}

import { AppError } from "@/lib/errors";

// A small in-memory token bucket per (limit name, key). Per process: with several app instances
// each enforces its own budget, which is enough to stop a runaway script or a double-click storm.

export type RateLimit = { limit: number; windowMs: number };
export type RateLimitResult = { allowed: boolean; remaining: number; retryAfterMs: number };

export const RUN_NOW_LIMIT: RateLimit = { limit: 10, windowMs: 60_000 };

type Bucket = { tokens: number; at: number; limit: number; perMs: number };
const buckets = new Map<string, Bucket>();
const MAX_BUCKETS = 10_000;

/** Takes one token; tokens refill continuously at `limit` per `windowMs`. */
export function takeToken(name: string, key: string, { limit, windowMs }: RateLimit, now = Date.now()): RateLimitResult {
  const id = `${name}\u0000${key}`;
  const perMs = limit / windowMs;
  const b = buckets.get(id) ?? { tokens: limit, at: now, limit, perMs };
  b.tokens = Math.min(limit, b.tokens + Math.max(0, now - b.at) * perMs);
  b.at = now;
  if (!buckets.has(id)) {
    if (buckets.size >= MAX_BUCKETS) prune(now);
    buckets.set(id, b);
  }
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return { allowed: true, remaining: Math.floor(b.tokens), retryAfterMs: 0 };
  }
  return { allowed: false, remaining: 0, retryAfterMs: Math.ceil((1 - b.tokens) / perMs) };
}

/** Full buckets carry no state worth keeping. */
function prune(now: number) {
  for (const [id, b] of buckets) if (b.tokens + (now - b.at) * b.perMs >= b.limit) buckets.delete(id);
}

/** Takes a token or throws rate_limited (lib/http.ts adds the Retry-After header). */
export function requireToken(name: string, key: string, limit: RateLimit): void {
  const result = takeToken(name, key, limit);
  if (result.allowed) return;
  const seconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
  throw new AppError("rate_limited", `Too many requests; try again in ${seconds} s`, { retry_after_seconds: seconds });
}

/** Tests start from empty buckets. */
export function resetRateLimits() {
  buckets.clear();
}

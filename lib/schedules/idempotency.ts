import "server-only";
import { createHash } from "node:crypto";
import { forTenant, Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";

// Idempotency-Key for create requests, as Stripe does it: the first request with a key does the work
// and its response is stored with a hash of its (validated) body; a retry with the same key and body
// within 24 hours gets that response again and writes nothing; the same key with another body is
// refused (422). Keys are per tenant. Only a completed create is stored: a request that failed wrote
// nothing, so its retry simply runs again.

export const IDEMPOTENCY_HEADER = "Idempotency-Key";
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;
// Any visible ASCII (UUIDs, ULIDs, "retry-42"), as long as Stripe allows.
const KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;

/** The request's Idempotency-Key, or null without one; a malformed key is a 400. */
export function idempotencyKeyOf(req: Request): string | null {
  const key = req.headers.get(IDEMPOTENCY_HEADER);
  if (key === null) return null;
  if (!KEY_PATTERN.test(key))
    throw new AppError("validation_error", "The request is invalid", [
      { path: IDEMPOTENCY_HEADER, message: "Use 1 to 255 visible ASCII characters (a UUID, for example)", code: "invalid_string" },
    ]);
  return key;
}

/** Object keys sorted at every level: the same body hashes the same however its fields are ordered. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  return value;
}

export const requestHash = (endpoint: string, input: unknown) =>
  createHash("sha256").update(endpoint).update("\n").update(JSON.stringify(canonical(input)) ?? "").digest("hex");

export type IdempotentResult = { status: number; body: unknown; replayed: boolean };
type Db = Parameters<Parameters<ReturnType<typeof forTenant>["$transaction"]>[0]>[0];

const isUniqueViolation = (err: unknown) => err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";

async function storedResult(ownerId: string, key: string, endpoint: string, hash: string, now: Date): Promise<IdempotentResult | null> {
  const row = await forTenant(ownerId).idempotencyKey.findFirst({
    where: { key, createdAt: { gte: new Date(now.getTime() - IDEMPOTENCY_WINDOW_MS) } },
  });
  if (!row) return null;
  if (row.endpoint !== endpoint || row.requestHash !== hash)
    throw new AppError("idempotency_key_reused", `This ${IDEMPOTENCY_HEADER} was used with a different request in the last 24 hours; send a new key`, {
      idempotency_key: key,
    });
  return { status: row.statusCode, body: row.response, replayed: true };
}

/**
 * Runs `work` once per (tenant, key): the key row and the work's writes commit in one transaction, so a
 * concurrent duplicate waits on the key's unique index and then replays the committed response.
 */
export async function runIdempotent(
  ownerId: string,
  key: string,
  endpoint: string,
  input: unknown,
  work: (db: Db) => Promise<{ status: number; body: unknown }>,
  now = new Date(),
): Promise<IdempotentResult> {
  const hash = requestHash(endpoint, input);
  const stored = await storedResult(ownerId, key, endpoint, hash, now);
  if (stored) return stored;
  try {
    return await forTenant(ownerId).$transaction(
      async (tx) => {
        // Expired keys (this one too, if it is older than the window) make room; pruning happens here, per tenant.
        await tx.idempotencyKey.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - IDEMPOTENCY_WINDOW_MS) } } });
        const claim = await tx.idempotencyKey.create({
          data: { ownerId, key, endpoint, requestHash: hash, statusCode: 0, response: {}, createdAt: now },
        });
        const result = await work(tx);
        await tx.idempotencyKey.update({
          where: { id: claim.id },
          data: { statusCode: result.status, response: result.body as Prisma.InputJsonValue },
        });
        return { ...result, replayed: false };
      },
      { maxWait: 10_000, timeout: 20_000 },
    );
  } catch (err) {
    // A concurrent request with this key committed first: answer what it answered (or 422).
    if (isUniqueViolation(err)) {
      const winner = await storedResult(ownerId, key, endpoint, hash, now);
      if (winner) return winner;
    }
    throw err;
  }
}

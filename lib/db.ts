import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { log } from "@/lib/log";

// Two ways into the database, both greppable:
// - forTenant(ownerId): every query of a tenant-owned model gets the owner filter (and creates get
//   the owner), so a forgotten `ownerId` cannot leak another tenant's rows. Use it for anything
//   done on behalf of a signed-in tenant.
// - systemDb(): the unscoped client, for jobs that work across tenants (dispatch, reconcile, the
//   review steps keyed by run id) and for tests.

type ModelName = Prisma.ModelName;

/** Models with an ownerId column: filtered by it, and created with it. */
export const TENANT_MODELS = [
  "CrmConnection",
  "ScheduledReview",
  "ReviewRun",
  "Analysis",
  "Delivery",
  "AlertSettings",
  "Alert",
  "AlertEvent",
  "AlertNotification",
  "Monitor",
  "ExecutionLog",
  "IdempotencyKey",
  "AuditEvent",
  "WorkspaceSettings",
  "RunDailyAggregate",
] as const satisfies readonly ModelName[];

/** Child models without ownerId: reachable only through their tenant-owned parent; never created by a tenant client. */
export const CHILD_SCOPES = {
  Finding: (ownerId: string) => ({ analysis: { ownerId } }),
} as const satisfies Partial<Record<ModelName, (ownerId: string) => object>>;

/** Platform rows that belong to no tenant: refused by a tenant client. */
export const SYSTEM_MODELS = ["SchedulerTick", "RateLimitBucket", "OAuthStateUse"] as const satisfies readonly ModelName[];

// One client per process; Next dev reloads modules, so keep it on globalThis.
const g = globalThis as unknown as { __revwatchPrisma?: PrismaClient; __revwatchBulk?: pg.Pool };

function create(): PrismaClient {
  const { DATABASE_URL, DATABASE_POOL_SIZE } = env();
  if (!DATABASE_URL) throw new Error("DATABASE_URL is not set (npm run dev starts an embedded database and sets it)");
  const adapter = new PrismaPg({ connectionString: DATABASE_URL, max: DATABASE_POOL_SIZE });
  return new PrismaClient({ adapter });
}

/** The unscoped client: only for work that spans tenants. Tenant requests use forTenant(). */
export function systemDb(): PrismaClient {
  g.__revwatchPrisma ??= create();
  return g.__revwatchPrisma;
}

export async function disconnectDb() {
  await g.__revwatchPrisma?.$disconnect();
  g.__revwatchPrisma = undefined;
  await g.__revwatchBulk?.end();
  g.__revwatchBulk = undefined;
}

// Prisma stores DateTime as timestamp(3) in UTC; pg would read it in the process's zone.
const bulkTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === pg.types.builtins.TIMESTAMP ? (v: string) => new Date(`${v.replace(" ", "T")}Z`) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export function bulkPool(connectionString: string): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: 2, types: bulkTypes });
  // An idle client whose connection dies emits 'error' on the pool: unhandled, it would end the process.
  pool.on("error", (err) => log.warn({ event: "db.bulk_pool_error", message: err.message }, "db.bulk_pool_error"));
  return pool;
}

/**
 * A system transaction on plain pg, for set-based statements over thousands of rows (the
 * dispatcher): Prisma's raw-query path spends more CPU on large array parameters than the database
 * spends running them. Unscoped like systemDb(): filter by "ownerId" yourself. Two connections at most.
 */
export async function bulkTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const { DATABASE_URL } = env();
  if (!DATABASE_URL) throw new Error("DATABASE_URL is not set (npm run dev starts an embedded database and sets it)");
  g.__revwatchBulk ??= bulkPool(DATABASE_URL);
  const client = await g.__revwatchBulk.connect();
  let failed = false;
  try {
    await client.query("BEGIN");
    await client.query("SET LOCAL statement_timeout = '60s'");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    failed = true;
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release(failed); // a connection that failed mid-transaction is not reused
  }
}

const WHERE_OPS = new Set([
  "findUnique", "findUniqueOrThrow", "findFirst", "findFirstOrThrow", "findMany", "count", "aggregate", "groupBy",
  "update", "updateMany", "updateManyAndReturn", "delete", "deleteMany", "upsert",
]);
const CREATE_OPS = new Set(["create", "createMany", "createManyAndReturn", "upsert"]);

type Args = Record<string, unknown>;

/** AND keeps a unique where valid (its unique fields stay on top) and never widens the caller's filter. */
function andWhere(where: unknown, scope: object) {
  const w = (where ?? {}) as Args;
  const and = w.AND === undefined ? [] : Array.isArray(w.AND) ? w.AND : [w.AND];
  return { ...w, AND: [...and, scope] };
}

function withOwner(data: unknown, ownerId: string, model: string): unknown {
  if (Array.isArray(data)) return data.map((d) => withOwner(d, ownerId, model));
  const row = (data ?? {}) as Args;
  if (row.ownerId !== undefined && row.ownerId !== ownerId) throw new Error(`forTenant: refusing to create ${model} for another owner`);
  return { ...row, ownerId };
}

/** Rewrites one operation's arguments for the tenant; throws for models a tenant client must not touch. */
export function scopeArgs(model: string, operation: string, args: Args, ownerId: string): Args {
  const child = (CHILD_SCOPES as Record<string, ((o: string) => object) | undefined>)[model];
  const tenantModel = (TENANT_MODELS as readonly string[]).includes(model);
  if (!tenantModel && !child) throw new Error(`forTenant: ${model} is not a tenant model (use systemDb() in a system job)`);
  if (child && CREATE_OPS.has(operation)) throw new Error(`forTenant: ${model} rows are created by system jobs only`);
  const out: Args = { ...args };
  if (WHERE_OPS.has(operation)) out.where = andWhere(args.where, child ? child(ownerId) : { ownerId });
  const update = (operation === "upsert" ? args.update : args.data) as Args | undefined;
  if (operation.startsWith("update") || operation === "upsert")
    if (update?.ownerId !== undefined && update.ownerId !== ownerId) throw new Error(`forTenant: refusing to move ${model} to another owner`);
  if (tenantModel && operation === "upsert") out.create = withOwner(args.create, ownerId, model);
  else if (tenantModel && CREATE_OPS.has(operation)) out.data = withOwner(args.data, ownerId, model);
  return out;
}

/** A client that sees and writes only `ownerId`'s rows. Raw SQL on it is not scoped: filter by owner yourself. */
function tenantClient(base: PrismaClient, ownerId: string) {
  return base.$extends({
    name: `tenant:${ownerId}`,
    query: {
      $allModels: {
        $allOperations({ model, operation, args, query }) {
          return query(scopeArgs(model, operation, (args ?? {}) as Args, ownerId) as typeof args);
        },
      },
    },
  });
}

// Building the extended client costs ~0.3 ms of CPU (measured), once per request or more: the latest
// tenants' clients are kept, per base client (disconnectDb starts a new one). They hold no data.
const TENANT_CLIENTS_MAX = 500;
let tenantClients: { base: PrismaClient; byOwner: Map<string, ReturnType<typeof tenantClient>> } | undefined;

export function forTenant(ownerId: string) {
  if (!ownerId) throw new Error("forTenant: ownerId is required");
  const base = systemDb();
  if (tenantClients?.base !== base) tenantClients = { base, byOwner: new Map() };
  const { byOwner } = tenantClients;
  let client = byOwner.get(ownerId);
  if (client) byOwner.delete(ownerId); // re-inserted below: the Map's order is least recently used first
  else client = tenantClient(base, ownerId);
  byOwner.set(ownerId, client);
  if (byOwner.size > TENANT_CLIENTS_MAX) byOwner.delete(byOwner.keys().next().value!);
  return client;
}

export type TenantDb = ReturnType<typeof forTenant>;
/** The client inside forTenant(...).$transaction(async (tx) => ...). */
export type TenantTx = Parameters<Parameters<TenantDb["$transaction"]>[0]>[0];

/**
 * Options for short interactive transactions (a few statements): a burst of requests waits its turn
 * for a pooled connection instead of failing after Prisma's 2 s default wait (a 500 under load).
 */
export const SHORT_TX = { maxWait: 10_000, timeout: 15_000 } as const;

export { Prisma };

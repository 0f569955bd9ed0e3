import "server-only";
import fs from "node:fs";
import path from "node:path";
import { forTenant, systemDb } from "@/lib/db";
import { env } from "@/lib/env";
import { devServerUrl, isDevMode, LOCAL_EXECUTOR_NAME } from "@/lib/executor";
import { readHeartbeat } from "@/lib/scheduler/heartbeat";
import { computeCoverage } from "./coverage";
import shipped from "@/lib/tz/zone-names.json";
import { TZDB } from "@/lib/tz/zones";
import { errorText, runDoctor, type DoctorDeps } from "./doctor";
import type { ExecutorFacts } from "./doctor-checks";

// The doctor's real probes: the database (bounded by a timeout: an unreachable host must not hang
// the doctor), prisma/migrations on disk, the executor over HTTP, the queue and the heartbeat.

const TIMEOUT_MS = 5_000;
const DAY_MS = 24 * 3_600_000;

function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2_000), cache: "no-store" });
  return res.headers.get("content-type")?.includes("json") ? res.json() : null;
}

const strings = (v: unknown): string[] | null => (Array.isArray(v) ? v.flatMap((x) => (typeof x === "string" ? [x] : [])) : null);

/** The local executor lists function ids on GET /; the Dev Server lists functions (with slugs) on GET /dev. */
export async function probeExecutor(source: Record<string, string | undefined>): Promise<ExecutorFacts> {
  if (!isDevMode()) {
    return { mode: "cloud", url: env().INNGEST_BASE_URL ?? null, signingKey: !!source.INNGEST_SIGNING_KEY, eventKey: !!source.INNGEST_EVENT_KEY };
  }
  const url = devServerUrl();
  try {
    const root = (await getJson(url)) as { name?: unknown; functions?: unknown } | null;
    if (root?.name === LOCAL_EXECUTOR_NAME) return { mode: "dev", url, reachable: true, kind: "local-executor", functions: strings(root.functions) };
    const dev = (await getJson(`${url}/dev`).catch(() => null)) as { functions?: { slug?: unknown }[] } | null;
    const slugs = Array.isArray(dev?.functions) ? strings(dev.functions.map((f) => f?.slug)) : null;
    return { mode: "dev", url, reachable: true, kind: "dev-server", functions: slugs };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return { mode: "dev", url, reachable: false, functions: null, error: cause ?? (err instanceof Error ? err.name : String(err)) };
  }
}

function migrationsOnDisk(dir = path.join(process.cwd(), "prisma/migrations")): string[] | null {
  if (!fs.existsSync(dir)) return null;
  return fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, "migration.sql"))).map((d) => d.name).sort();
}

async function backlog(ownerId: string | null) {
  const where = { status: "QUEUED" as const };
  const oldest = { where, orderBy: { queuedAt: "asc" as const }, select: { queuedAt: true } };
  // A workspace's own queue through the tenant door; the platform's through the system client.
  const [queued, first] = ownerId
    ? await Promise.all([forTenant(ownerId).reviewRun.count({ where }), forTenant(ownerId).reviewRun.findFirst(oldest)])
    : await Promise.all([systemDb().reviewRun.count({ where }), systemDb().reviewRun.findFirst(oldest)]);
  return { queued, oldestQueuedAt: first?.queuedAt ?? null };
}

const dbWhere = (url: string | undefined) => {
  try {
    return url ? new URL(url).host : "?";
  } catch {
    return "?";
  }
};

/**
 * The probes for one scope: ownerId null = every tenant (npm run doctor, run by whoever runs the
 * platform); an owner id = that workspace's backlog and coverage (GET /api/health?detail=1).
 */
export function liveDoctorDeps(opts: {
  ownerId: string | null;
  expectedFunctions: string[];
  source?: Record<string, string | undefined>;
  embeddedDb?: boolean;
  now?: Date;
}): DoctorDeps {
  const source = opts.source ?? process.env;
  const now = opts.now ?? new Date();
  return {
    env: source,
    now,
    scope: opts.ownerId ? "this workspace" : "all tenants",
    appUrl: source.APP_URL ?? "http://localhost:3000",
    embeddedDb: opts.embeddedDb ?? false,
    tz: TZDB,
    shippedTzNames: shipped.version,
    expectedFunctions: opts.expectedFunctions,
    database: async () => {
      const where = dbWhere(process.env.DATABASE_URL); // the one the client uses (the script may default it)
      try {
        const rows = await withTimeout(systemDb().$queryRaw<{ v: string }[]>`SELECT current_setting('server_version') AS v`, "database");
        return { where, version: rows[0]?.v };
      } catch (err) {
        return { where, error: errorText(err) };
      }
    },
    migrations: async () => {
      const rows = await withTimeout(
        systemDb().$queryRaw<{ name: string; finished_at: Date | null; rolled_back_at: Date | null }[]>`
          SELECT migration_name AS name, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at`,
        "migrations",
      );
      return rows.map((r) => ({ name: r.name, finishedAt: r.finished_at, rolledBackAt: r.rolled_back_at }));
    },
    migrationsOnDisk: () => migrationsOnDisk(),
    executor: () => probeExecutor(source),
    backlog: () => withTimeout(backlog(opts.ownerId), "backlog"),
    heartbeat: () => withTimeout(readHeartbeat(now), "scheduler"),
    coverage: async () => {
      const { dto } = await withTimeout(computeCoverage(opts.ownerId, { from: new Date(now.getTime() - DAY_MS), to: now }, now), "coverage");
      return { coverage_pct: dto.coverage_pct, status: dto.status, expected: dto.expected, completed: dto.completed, missing_count: dto.missing_count };
    },
  };
}

/** The doctor with the real probes: the script (ownerId null) and GET /api/health?detail=1 (a workspace). */
export const doctorReport = (opts: Parameters<typeof liveDoctorDeps>[0]) => runDoctor(liveDoctorDeps(opts));

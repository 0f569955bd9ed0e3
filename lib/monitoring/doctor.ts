import "server-only";
import { envChecklist, type FeatureReport } from "./env-checklist";
import {
  checkBacklog, checkCoverage, checkDatabase, checkEnv, checkExecutor, checkMigrations, checkScheduler, checkTimeZones,
  type AppliedMigration, type BacklogFacts, type Check, type CoverageFacts, type DatabaseFacts, type ExecutorFacts,
} from "./doctor-checks";
import type { DoctorReportDto } from "./doctor-schemas";
import type { Heartbeat } from "@/lib/scheduler/heartbeat";

// npm run doctor and GET /api/health?detail=1: the monitoring guide's diagnostics. The facts come
// from injected probes (lib/monitoring/doctor-probes.ts has the real ones), the verdicts from
// doctor-checks.ts; a probe that throws becomes a failed check, never a crashed doctor.

export type DoctorDeps = {
  env: Record<string, string | undefined>;
  now: Date;
  /** whose backlog and coverage: "all tenants" (the script) or the caller's workspace (the route) */
  scope: string;
  appUrl: string;
  embeddedDb: boolean;
  tz: { version: string; source: string };
  shippedTzNames: string;
  expectedFunctions: string[];
  database(): Promise<DatabaseFacts>;
  migrations(): Promise<AppliedMigration[]>;
  migrationsOnDisk(): string[] | null;
  executor(): Promise<ExecutorFacts>;
  backlog(): Promise<BacklogFacts>;
  heartbeat(): Promise<Heartbeat>;
  /** null: the coverage postcheck is not available in this build */
  coverage(): Promise<CoverageFacts | null>;
};

/** The useful line of an error: Prisma puts "Invalid `prisma.x()` invocation:" first and the cause last. */
export function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const last = text.split("\n").map((l) => l.trim()).filter(Boolean).at(-1) ?? (err as { code?: string })?.code ?? "unknown error";
  return last.replace(/^Raw query failed\. Code: `[^`]*`\. Message: `(.*)`$/, "$1").slice(0, 300);
}

async function attempt(id: string, label: string, run: () => Promise<Check>): Promise<Check> {
  try {
    return await run();
  } catch (err) {
    return { id, label, status: "fail", summary: `could not check: ${errorText(err)}` };
  }
}

export async function runDoctor(deps: DoctorDeps): Promise<DoctorReportDto> {
  const { now, scope } = deps;
  const checks: Check[] = [checkTimeZones(deps.tz, deps.shippedTzNames), checkEnv(envChecklist(deps.env))];
  const db = await deps.database().catch((err): DatabaseFacts => ({ where: "?", error: errorText(err) }));
  checks.push(checkDatabase(db, deps.embeddedDb));
  const dbUp = db.error === undefined;
  const needsDb = (id: string, label: string, run: () => Promise<Check>) =>
    dbUp ? attempt(id, label, run) : Promise.resolve<Check>({ id, label, status: "skip", summary: "database unreachable" });

  checks.push(await needsDb("migrations", "migrations", async () => checkMigrations(await deps.migrations(), deps.migrationsOnDisk())));
  checks.push(await attempt("executor", "executor", async () => checkExecutor(await deps.executor(), deps.expectedFunctions, deps.appUrl)));
  checks.push(await needsDb("backlog", "backlog", async () => checkBacklog(await deps.backlog(), now, scope)));
  checks.push(await needsDb("scheduler", "scheduler", async () => checkScheduler(await deps.heartbeat(), now)));
  checks.push(await needsDb("coverage", "coverage 24h", async () => checkCoverage(await deps.coverage(), scope)));

  const attention = checks.filter((c) => c.status === "fail");
  return {
    status: attention.length ? "needs_attention" : "healthy",
    scope,
    checked_at: now.toISOString(),
    checks,
    attention: attention.map((c) => ({ id: c.id, summary: c.summary, fix: c.fix ?? null })),
  };
}

const MARK = { ok: "ok  ", warn: "warn", fail: "FAIL", skip: "skip" } as const;

function envLines(features: FeatureReport[]): string[] {
  return features.flatMap((f) => [
    `        ${f.status === "fail" ? "✗" : f.status === "off" ? "-" : "✓"} ${f.feature}: ${f.summary}`,
    ...f.vars
      .filter((v) => v.state !== "unset" && v.state !== "default")
      .map((v) => `            ${v.name.padEnd(34)} ${v.state}${v.shown ? `  ${v.shown}` : ""}${v.problem ? `  (${v.problem})` : ""}`),
  ]);
}

/** The readable report npm run doctor prints. */
export function formatReport(r: DoctorReportDto): string {
  const lines = [`Revwatch doctor, ${r.checked_at} (backlog and coverage: ${r.scope})`, ""];
  for (const c of r.checks) {
    lines.push(`${MARK[c.status]}  ${c.label.padEnd(13)} ${c.summary}`);
    if (c.fix) lines.push(`      ${"".padEnd(13)} → ${c.fix}`);
    if (c.id === "env") lines.push(...envLines(c.details as FeatureReport[]));
  }
  lines.push("");
  lines.push(r.status === "healthy" ? "healthy: nothing needs attention" : `needs attention: ${r.attention.map((a) => a.id).join(", ")}`);
  return lines.join("\n");
}

import "server-only";
import { QUEUED_REPAIR_AFTER_MS } from "@/lib/scheduler/reconcile";
import type { Heartbeat } from "@/lib/scheduler/heartbeat";
import { compareTzdbVersions } from "@/lib/tz/names";
import type { FeatureReport } from "./env-checklist";

// The doctor's verdicts, each a pure function of facts the probes gathered (lib/monitoring/doctor.ts),
// so every verdict is unit-tested without a database or an executor. A check that fails says what
// to do (`fix`); `warn` is worth a look but does not fail the run.

export type CheckStatus = "ok" | "warn" | "fail" | "skip";
export type Check = { id: string; label: string; status: CheckStatus; summary: string; fix?: string; details?: unknown };

const minutes = (ms: number) => (ms < 90_000 ? `${Math.round(ms / 1000)} s` : ms < 2 * 3_600_000 ? `${Math.round(ms / 60_000)} min` : `${(ms / 3_600_000).toFixed(1)} h`);

export function checkTimeZones(tz: { version: string; source: string }, shipped: string): Check {
  const vs = compareTzdbVersions(tz.version, shipped);
  const base = { id: "tz_database", label: "tz database", details: { version: tz.version, source: tz.source, names_list: shipped } };
  if (vs < 0) return { ...base, status: "fail", summary: `IANA ${tz.version} from ${tz.source}, older than the ${shipped} this project ships`, fix: "npm install" };
  if (vs > 0) return { ...base, status: "fail", summary: `IANA ${tz.version} from ${tz.source}, but the zone names list is ${shipped}`, fix: "npm run tz:names" };
  return { ...base, status: "ok", summary: `IANA ${tz.version} from ${tz.source}` };
}

export type DatabaseFacts = { where: string; version?: string; error?: string };

export function checkDatabase(db: DatabaseFacts, embedded: boolean): Check {
  const base = { id: "database", label: "database" };
  if (db.error === undefined) return { ...base, status: "ok", summary: `reachable at ${db.where} (PostgreSQL ${db.version ?? "?"})` };
  return {
    ...base, status: "fail", summary: `unreachable at ${db.where}: ${db.error}`,
    fix: embedded ? "npm run dev starts the embedded database; or set DATABASE_URL" : "check DATABASE_URL and that the server accepts connections",
  };
}

export type AppliedMigration = { name: string; finishedAt: Date | null; rolledBackAt: Date | null };

export function checkMigrations(applied: AppliedMigration[], onDisk: string[] | null): Check {
  const base = { id: "migrations", label: "migrations" };
  if (onDisk === null) return { ...base, status: "skip", summary: "prisma/migrations is not in this install: cannot compare" };
  const done = new Set(applied.filter((m) => m.finishedAt && !m.rolledBackAt).map((m) => m.name));
  const broken = applied.filter((m) => !m.finishedAt && !m.rolledBackAt).map((m) => m.name);
  const pending = onDisk.filter((n) => !done.has(n));
  const unknown = [...done].filter((n) => !onDisk.includes(n));
  const details = { applied: done.size, on_disk: onDisk.length, pending, failed: broken, unknown };
  if (broken.length) return { ...base, status: "fail", details, summary: `failed migration ${broken.join(", ")}`, fix: "fix it, then npx prisma migrate resolve --rolled-back <name> and npm run db:migrate" };
  if (pending.length) return { ...base, status: "fail", details, summary: `${pending.length} not applied: ${pending.join(", ")}`, fix: "npm run db:migrate (prisma migrate deploy)" };
  if (unknown.length) return { ...base, status: "warn", details, summary: `the database has ${unknown.length} migration(s) this checkout lacks: ${unknown.join(", ")}`, fix: "deploy the code that matches the database" };
  return { ...base, status: "ok", details, summary: `current (${done.size} applied, latest ${onDisk.at(-1) ?? "none"})` };
}

export type ExecutorFacts =
  | { mode: "dev"; url: string; reachable: boolean; kind?: string; functions: string[] | null; error?: string }
  | { mode: "cloud"; url: string | null; signingKey: boolean; eventKey: boolean };

export function checkExecutor(ex: ExecutorFacts, expected: string[], appUrl: string): Check {
  const base = { id: "executor", label: "executor" };
  const serve = `${appUrl.replace(/\/$/, "")}/api/inngest`;
  if (ex.mode === "cloud") {
    const missing = [!ex.signingKey && "INNGEST_SIGNING_KEY", !ex.eventKey && "INNGEST_EVENT_KEY"].filter(Boolean);
    const where = ex.url ? `self-hosted Inngest at ${ex.url}` : "Inngest Cloud";
    if (missing.length) return { ...base, status: "fail", summary: `${where}: ${missing.join(" and ")} not set`, fix: `set ${missing.join(" and ")} (Inngest dashboard > Manage > Keys)` };
    return { ...base, status: "ok", summary: `${where}, keys present (sync is not probed: after a deploy, curl -X PUT ${serve})` };
  }
  if (!ex.reachable) {
    return {
      ...base, status: "fail", summary: `nothing answers at ${ex.url}${ex.error ? ` (${ex.error})` : ""}: runs stay queued and the scheduler does not tick`,
      fix: `start an executor: npm run dev starts one with the app; or npx inngest-cli@latest dev -u ${serve}; the test stack: npm run e2e:serve`,
    };
  }
  const name = ex.kind === "local-executor" ? "local executor" : "Inngest Dev Server";
  if (ex.functions === null) return { ...base, status: "warn", summary: `${name} at ${ex.url} answers, but did not list its functions` };
  const missing = expected.filter((id) => !ex.functions!.includes(id));
  if (missing.length) {
    return { ...base, status: "fail", details: { missing }, summary: `${name} at ${ex.url} does not know ${missing.join(", ")}`, fix: `sync the app: curl -X PUT ${serve}` };
  }
  return { ...base, status: "ok", summary: `${name} at ${ex.url}, ${expected.length} functions synced` };
}

export type BacklogFacts = { queued: number; oldestQueuedAt: Date | null };

export function checkBacklog(b: BacklogFacts, now: Date, scope: string): Check {
  const base = { id: "backlog", label: "backlog" };
  const age = b.oldestQueuedAt ? now.getTime() - b.oldestQueuedAt.getTime() : 0;
  const details = { queued: b.queued, oldest_queued_at: b.oldestQueuedAt?.toISOString() ?? null, oldest_queued_age_ms: b.oldestQueuedAt ? age : null };
  if (!b.queued) return { ...base, status: "ok", details, summary: `no runs queued (${scope})` };
  const summary = `${b.queued} queued (${scope}), oldest for ${minutes(age)}`;
  if (age > QUEUED_REPAIR_AFTER_MS) {
    return { ...base, status: "fail", details, summary, fix: "the executor is not taking runs: see the executor check; reconcile-stuck-runs re-sends them every 5 min, then fails them (stuck_queued)" };
  }
  return { ...base, status: "ok", details, summary };
}

export function checkScheduler(h: Heartbeat, now: Date): Check {
  const base = { id: "scheduler", label: "scheduler" };
  const details = {
    running: h.running, last_tick_at: h.lastTick?.startedAt.toISOString() ?? null,
    last_success_at: h.lastSuccessAt?.toISOString() ?? null, consecutive_failures: h.consecutiveFailures,
  };
  const fixSilent = "the executor runs dispatch-due-reviews every minute: see the executor check (the test stack's executor runs with crons off)";
  if (!h.lastTick) return { ...base, status: "fail", details, summary: "the dispatcher has never ticked", fix: fixSilent };
  const last = `last tick ${minutes(now.getTime() - h.lastTick.startedAt.getTime())} ago`;
  if (!h.running) return { ...base, status: "fail", details, summary: `not running: ${last}`, fix: fixSilent };
  if (h.consecutiveFailures > 0) {
    return { ...base, status: "fail", details, summary: `running, but the last ${h.consecutiveFailures} tick(s) failed (${last})`, fix: "read the failed ticks' errors: SELECT error FROM \"SchedulerTick\" WHERE outcome = 'FAILURE' ORDER BY \"startedAt\" DESC LIMIT 5" };
  }
  return { ...base, status: "ok", details, summary: `running: ${last}, no failures since the last success` };
}

export type CoverageFacts = { coverage_pct: number | null; status: "HEALTHY" | "NEEDS_ATTENTION"; expected: number; completed: number; missing_count: number };

export function checkCoverage(c: CoverageFacts | null, scope: string): Check {
  const base = { id: "coverage", label: "coverage 24h" };
  if (!c) return { ...base, status: "skip", summary: "coverage: not available" };
  const pct = c.coverage_pct === null ? "nothing was due" : `${c.coverage_pct} %`;
  const summary = `${pct} (${c.completed} of ${c.expected} slots completed, ${c.missing_count} missing; ${scope})`;
  if (c.status === "HEALTHY") return { ...base, status: "ok", details: c, summary };
  return { ...base, status: "fail", details: c, summary, fix: "see /monitoring (coverage panel) and Repair, or POST /api/monitoring/coverage/repair {from, to}" };
}

export function checkEnv(features: FeatureReport[]): Check {
  const bad = features.filter((f) => f.status === "fail");
  const base = { id: "env", label: "environment", details: features };
  if (!bad.length) return { ...base, status: "ok", summary: `${features.filter((f) => f.status === "ok").map((f) => f.feature).join(", ")} configured; ${features.filter((f) => f.status === "off").map((f) => f.feature).join(", ") || "nothing"} off` };
  const names = bad.flatMap((f) => f.vars.filter((v) => v.problem).map((v) => v.name));
  return { ...base, status: "fail", summary: `${bad.map((f) => f.feature).join(", ")}: ${names.join(", ")} missing or malformed`, fix: "set them as README's configuration table describes (values shown masked below)" };
}

// npm run doctor [-- --json]: the monitoring guide's diagnostics for this install: tz database,
// environment per feature (secrets masked), database and migrations, the executor and the app's
// functions on it, backlog, the dispatcher's heartbeat, coverage of the last 24 h (every tenant).
// Exits 1 when something needs attention; each failed check says what to do.
// The checks live in lib/monitoring (GET /api/health?detail=1 runs the same ones for a workspace).
// Outside production, Inngest dev mode is assumed as npm run dev does (INNGEST_DEV=1).

const EMBEDDED_URL = "postgresql://postgres:postgres@127.0.0.1:54329/postgres?sslmode=disable";
const asJson = process.argv.includes("--json");

if (process.env.NODE_ENV !== "production") process.env.INNGEST_DEV ??= "1";
const embeddedDb = !process.env.DATABASE_URL;
const shellEnv = { ...process.env }; // what the checklist reports: without the embedded default below
process.env.DATABASE_URL ??= EMBEDDED_URL;

/** npm run dev tells only the app where its executor is: ask the app when the shell does not say. */
async function executorFromApp() {
  if (process.env.INNGEST_BASE_URL || process.env.NODE_ENV === "production") return;
  try {
    const res = await fetch(new URL("/api/health", process.env.APP_URL ?? "http://localhost:3000"), { signal: AbortSignal.timeout(2_000) });
    const url = ((await res.json()) as { executor?: { url?: unknown } }).executor?.url;
    if (typeof url === "string") process.env.INNGEST_BASE_URL = url;
  } catch {
    // the app is not running: the default Dev Server address is probed
  }
}

await executorFromApp();
// Imported after the environment is settled: lib/env.ts reads it once.
const { functions } = await import("../inngest/index");
const { inngest } = await import("../inngest/client");
const { formatReport } = await import("../lib/monitoring/doctor");
const { doctorReport } = await import("../lib/monitoring/doctor-probes");
const { disconnectDb } = await import("../lib/db");

const report = await doctorReport({
  ownerId: null,
  embeddedDb,
  source: shellEnv,
  expectedFunctions: functions.map((f) => f.id(inngest.id)),
});
console.log(asJson ? JSON.stringify(report, null, 2) : formatReport(report));
await disconnectDb().catch(() => {});
process.exit(report.status === "healthy" ? 0 : 1);

export {}; // a module: top-level await

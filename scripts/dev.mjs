// `npm run dev`: the whole app on http://localhost:3000 with no setup. Uses DATABASE_URL when set,
// else an embedded PostgreSQL in the data folder (migrated and seeded once). Reviews run on the
// Inngest Dev Server when it is installed or already running, else on the local executor
// (scripts/dev-executor.mjs decides and the startup output says which).
import { spawn } from "node:child_process";
import path from "node:path";
import { localEnv } from "./local-env.mjs";
import { startDevExecutor } from "./dev-executor.mjs";
import { startEmbeddedPostgres } from "./embedded-postgres.mjs";
import { bin, onShutdown, run } from "./run.mjs";

const PORT = Number(process.env.PORT ?? 3000);
const DATA_DIR = process.env.DATA_DIR ?? ".data";
const env = localEnv({ ...process.env, APP_URL: process.env.APP_URL ?? `http://localhost:${PORT}` });
const children = [];
let database = null;

onShutdown(async () => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
  await database?.stop();
});

if (!env.DATABASE_URL) {
  const dataDir = path.join(DATA_DIR, "pglite");
  const port = Number(env.EMBEDDED_PG_PORT ?? 54329);
  const shadowPort = Number(env.EMBEDDED_PG_SHADOW_PORT ?? port + 1);
  database = await startEmbeddedPostgres({ dataDir, port, shadowPort });
  env.DATABASE_URL = database.url;
  env.SHADOW_DATABASE_URL = database.shadowUrl;
  console.log(`[dev] embedded PostgreSQL on ${database.url} (data in ${dataDir})`);
}

await run(bin("prisma"), ["migrate", "deploy"], { env, quiet: true });
console.log("[dev] migrations applied");
await run(bin("tsx"), ["--conditions=react-server", "prisma/seed.ts"], { env });

const executor = await startDevExecutor({ env, appPort: PORT, dataDir: DATA_DIR, children });
const inspector = `${env.APP_URL}/dev/executor`;
const EXECUTOR_LINE = {
  external: `Inngest at INNGEST_BASE_URL=${executor.url}`,
  "dev-server": `Inngest Dev Server on ${executor.url} (${executor.started ? "started here" : "already running"}; dashboard ${executor.url})`,
  "local-executor": `local executor on ${executor.url} (no Inngest Dev Server found; state in ${path.join(DATA_DIR, "local-executor")}; runs at ${inspector})`,
};
console.log(`[dev] Inngest executor: ${EXECUTOR_LINE[executor.kind]}`);
executor.ready?.then(
  (r) => console.log(`[dev] local executor synced ${r.functions.length} functions${r.resumed ? `, resumed ${r.resumed} unfinished run(s)` : ""}; crons are live`),
  (err) => console.log(`[dev] local executor failed: ${err.message} (reviews will not run; see the banner)`),
);

// Through the guard: a SIGKILLed app command must not leave `next dev` holding the port.
const next = spawn(process.execPath, [new URL("child-guard.mjs", import.meta.url).pathname, String(process.pid), bin("next"), "dev", "-p", String(PORT)], { stdio: "inherit", env });
children.push(next);
next.on("exit", async (code) => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
  await database?.stop();
  process.exit(code ?? 0);
});

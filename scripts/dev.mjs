// `npm run dev`: the whole app on http://localhost:3000 with no setup. Uses DATABASE_URL when set,
// else an embedded PostgreSQL in .data/ (migrated and seeded once). Starts the Inngest Dev Server
// when its binary is installed; otherwise the app shows a banner and run-now fails fast.
import { spawn } from "node:child_process";
import fs from "node:fs";
import { localEnv } from "./local-env.mjs";
import { startEmbeddedPostgres } from "./embedded-postgres.mjs";
import { bin, onShutdown, run } from "./run.mjs";

const PORT = Number(process.env.PORT ?? 3000);
const env = localEnv({ ...process.env, APP_URL: process.env.APP_URL ?? `http://localhost:${PORT}` });
const children = [];
let database = null;

onShutdown(async () => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
  await database?.stop();
});

if (!env.DATABASE_URL) {
  database = await startEmbeddedPostgres({ dataDir: ".data/pglite", port: 54329, shadowPort: 54330 });
  env.DATABASE_URL = database.url;
  env.SHADOW_DATABASE_URL = database.shadowUrl;
  console.log(`[dev] embedded PostgreSQL on ${database.url} (data in .data/pglite)`);
}

await run(bin("prisma"), ["migrate", "deploy"], { env, quiet: true });
console.log("[dev] migrations applied");
await run(bin("tsx"), ["prisma/seed.ts"], { env });

const cli = bin("inngest-cli");
if (fs.existsSync(cli) && !process.env.INNGEST_BASE_URL) {
  const dev = spawn(cli, ["dev", "--no-discovery", "-u", `http://127.0.0.1:${PORT}/api/inngest`], { stdio: "inherit", env });
  dev.on("error", () => console.log("[dev] Inngest Dev Server could not start: reviews will not run (see banner)"));
  children.push(dev);
} else {
  console.log("[dev] Inngest Dev Server not installed here (`npx inngest-cli@latest dev` in another terminal runs it)");
}

const next = spawn(bin("next"), ["dev", "-p", String(PORT)], { stdio: "inherit", env });
children.push(next);
next.on("exit", async (code) => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
  await database?.stop();
  process.exit(code ?? 0);
});

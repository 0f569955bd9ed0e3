// Runs the local executor as a process (the app command starts it when no Inngest Dev Server is
// available; the test stack starts it too):
//   node --import tsx scripts/local-executor/cli.ts --port 8290 --app http://127.0.0.1:3000/api/inngest --data-dir .data/local-executor
// Options: --host (127.0.0.1), --app (repeatable), --data-dir (journal; none = in memory),
// --no-crons (tests trigger crons by hand), --backoff-scale (1 = Inngest's retry delays),
// --max-sleep-ms (cap on step.sleep; default none),
// --signing-key (default $INNGEST_SIGNING_KEY: cloud mode), --event-key (repeatable; default: any),
// --sync-timeout-ms (60000), --resync-ms (0: off; re-syncs so a reloaded app's functions are seen),
// --parent-pid (exit when that process is gone, so a killed app command leaves nothing behind),
// --checkpointing, --quiet. Refuses to start when NODE_ENV=production.
// Prints one JSON line {"event":"ready",...} on stdout once synced (logs go to stderr); exits 0 on
// SIGTERM/SIGINT, 1 if the app never answers. Admin API on the same port: see admin.ts.
import { parseArgs } from "node:util";
import { adminRoutes } from "./admin";
import { LocalExecutor } from "./executor";

const { values: args } = parseArgs({
  options: {
    port: { type: "string", default: "8290" },
    host: { type: "string", default: "127.0.0.1" },
    app: { type: "string", multiple: true, default: [] },
    "data-dir": { type: "string" },
    "no-crons": { type: "boolean", default: false },
    "backoff-scale": { type: "string", default: "1" },
    "max-sleep-ms": { type: "string" },
    "signing-key": { type: "string" },
    "event-key": { type: "string", multiple: true },
    "sync-timeout-ms": { type: "string", default: "60000" },
    "resync-ms": { type: "string", default: "0" },
    "parent-pid": { type: "string" },
    checkpointing: { type: "boolean", default: false },
    quiet: { type: "boolean", default: false },
  },
});

const out = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
const log = (line: string) => { if (!args.quiet) process.stderr.write(`[local-executor] ${line}\n`); };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The production refusal: production runs on Inngest Cloud or a self-hosted Inngest server.
if (process.env.NODE_ENV === "production") {
  out({ event: "error", message: "the local executor is a development tool and refuses to start with NODE_ENV=production; use Inngest Cloud or a self-hosted Inngest server (INNGEST_BASE_URL + keys)" });
  process.exit(1);
}

const apps = new Set(args.app);
const signingKey = args["signing-key"] ?? (process.env.INNGEST_SIGNING_KEY || undefined);
const dataDir = args["data-dir"];
const crons = !args["no-crons"];

/** The app may still be starting (next start/dev compiles on first request): retry until it answers. */
async function syncWithRetry(ex: LocalExecutor, app: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      const fns = await ex.sync(app);
      log(`synced ${app}: ${fns.map((f) => f.id).join(", ")}`);
      return;
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      if (Date.now() + 500 > deadline) throw new Error(`could not sync ${app} within ${timeoutMs}ms (${attempt} attempts): ${why}`);
      if (attempt === 1 || attempt % 10 === 0) log(`waiting for ${app}: ${why}`);
      await sleep(500);
    }
  }
}

async function main() {
  const ex: LocalExecutor = new LocalExecutor({
    autoRun: true,
    crons,
    dataDir,
    signingKey,
    eventKeys: args["event-key"],
    checkpointing: args.checkpointing,
    backoffScale: Number(args["backoff-scale"]),
    maxSleepMs: args["max-sleep-ms"] === undefined ? undefined : Number(args["max-sleep-ms"]),
    maxRuns: 100_000, // a whole dev or e2e session
    extraRoutes: (req) => adminRoutes(ex, { apps, dataDir, crons })(req),
    logger: log,
  });
  let stopping = false;
  const stop = async (signal: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(code || 1), 10_000).unref(); // never hang on the way out
    await ex.close();
    out({ event: "stopped", signal });
    process.exit(code);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
  const parent = Number(args["parent-pid"]);
  if (parent) {
    setInterval(() => {
      try { process.kill(parent, 0); } catch { void stop("parent-exited"); }
    }, 1_000).unref();
  }

  const port = await ex.listen(Number(args.port), args.host);
  try {
    for (const app of apps) await syncWithRetry(ex, app, Number(args["sync-timeout-ms"]));
  } catch (err) {
    out({ event: "error", message: err instanceof Error ? err.message : String(err) });
    await stop("sync-failed", 1);
    return;
  }
  const resumed = ex.resume();
  if (resumed) log(`resumed ${resumed} unfinished run(s) from ${dataDir}`);
  const resync = Number(args["resync-ms"]);
  if (resync > 0) {
    setInterval(() => {
      for (const app of apps) ex.sync(app).catch((err: unknown) => log(`re-sync of ${app} failed: ${err instanceof Error ? err.message : String(err)}`));
    }, resync).unref();
  }
  const env = signingKey
    ? { INNGEST_DEV: "0", INNGEST_BASE_URL: ex.url, INNGEST_SIGNING_KEY: "<same key>", INNGEST_EVENT_KEY: "<any key>" }
    : { INNGEST_DEV: "1", INNGEST_BASE_URL: ex.url };
  out({ event: "ready", url: ex.url, port, mode: signingKey ? "cloud" : "dev", apps: [...apps], functions: ex.functions.map((f) => f.id), crons, dataDir: dataDir ?? null, resumed, env });
}

main().catch((err: unknown) => {
  out({ event: "error", message: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});

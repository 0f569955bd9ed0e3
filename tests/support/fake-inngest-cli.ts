// Runs FakeInngest as a stand-in Inngest dev server for e2e runs:
//   npx tsx tests/support/fake-inngest-cli.ts --port 8288 --app http://127.0.0.1:3000/api/inngest
// (From scripts prefer `node --import tsx <this file>`: npx's wrapper exits 128+signal, this process exits 0.)
// Options: --host (127.0.0.1), --app (repeatable), --signing-key (default $INNGEST_SIGNING_KEY: cloud mode),
// --event-key (repeatable; default: any key), --sync-timeout-ms (60000), --checkpointing, --quiet.
// The app needs INNGEST_DEV=1 and INNGEST_BASE_URL=http://<host>:<port> (signed mode: INNGEST_DEV=0,
// INNGEST_SIGNING_KEY, INNGEST_EVENT_KEY, INNGEST_BASE_URL). Prints one JSON line {"event":"ready",...}
// on stdout once synced (logs go to stderr); exits 0 on SIGTERM/SIGINT, 1 if the app never answers.
// Admin API on the same port:
//   GET  /__admin/runs[?fnId=&eventName=&status=]   GET /__admin/runs/:runId
//   GET  /__admin/events[?name=]   GET /__admin/functions   GET /__admin/idle[?timeoutMs=10000]
//   POST /__admin/cron/:fnId   POST /__admin/replay/:runId   (answer with the finished run)
//   POST /__admin/sync[?app=<serve url>]   (re-sync every app, or add one)
import { parseArgs } from "node:util";
import { FakeInngest, type ExtraRoute, type HttpReply, type RunRecord } from "./fake-inngest";

const { values: args } = parseArgs({
  options: {
    port: { type: "string", default: "8288" },
    host: { type: "string", default: "127.0.0.1" },
    app: { type: "string", multiple: true, default: [] },
    "signing-key": { type: "string" },
    "event-key": { type: "string", multiple: true },
    "sync-timeout-ms": { type: "string", default: "60000" },
    checkpointing: { type: "boolean", default: false },
    quiet: { type: "boolean", default: false },
  },
});

const apps = new Set(args.app);
const signingKey = args["signing-key"] ?? (process.env.INNGEST_SIGNING_KEY || undefined);
const out = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
const log = (line: string) => { if (!args.quiet) process.stderr.write(`[fake-inngest] ${line}\n`); };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const json = (status: number, body: unknown): HttpReply => ({ status, body });

/** The app may still be starting (next start/dev): retry until it answers, within a deadline. */
async function syncWithRetry(fake: FakeInngest, app: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      const fns = await fake.sync(app);
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

const admin = (fake: FakeInngest): ExtraRoute => async ({ method, url }) => {
  const m = url.pathname.match(/^\/__admin\/([a-z]+)(?:\/([^/]+))?\/?$/);
  if (!m) return undefined;
  const [, what, rawArg] = m;
  const arg = rawArg === undefined ? undefined : decodeURIComponent(rawArg);
  const q = (k: string) => url.searchParams.get(k) ?? undefined;
  const finished = async (start: () => Promise<RunRecord>) => {
    try {
      return json(200, await start());
    } catch (err) {
      return json(404, { error: err instanceof Error ? err.message : String(err) });
    }
  };
  if (method === "GET" && what === "runs" && arg) {
    const run = fake.runs.find((r) => r.runId === arg);
    return run ? json(200, run) : json(404, { error: `unknown run ${arg}` });
  }
  if (method === "GET" && what === "runs") {
    const status = q("status") as RunRecord["status"] | undefined;
    return json(200, fake.findRuns({ fnId: q("fnId"), eventName: q("eventName"), status }));
  }
  if (method === "GET" && what === "events") return json(200, fake.events.filter((e) => !q("name") || e.name === q("name")));
  if (method === "GET" && what === "functions") return json(200, fake.functions);
  if (method === "GET" && what === "idle") {
    try {
      await fake.waitForIdle(Math.min(Number(q("timeoutMs") ?? 10_000), 120_000));
      return json(200, { idle: true, runs: fake.runs.length });
    } catch (err) {
      return json(504, { idle: false, error: err instanceof Error ? err.message : String(err) });
    }
  }
  if (method === "POST" && what === "cron" && arg) return finished(() => fake.triggerCron(arg));
  if (method === "POST" && what === "replay" && arg) return finished(() => fake.replay(arg));
  if (method === "POST" && what === "sync") {
    const add = q("app");
    if (add) apps.add(add);
    try {
      for (const app of apps) await fake.sync(app);
      return json(200, { functions: fake.functions.map((f) => f.id) });
    } catch (err) {
      return json(502, { error: err instanceof Error ? err.message : String(err) });
    }
  }
  return json(404, { error: `unknown admin route ${method} ${url.pathname}` });
};

async function main() {
  const fake: FakeInngest = new FakeInngest({
    autoRun: true,
    signingKey,
    eventKeys: args["event-key"],
    checkpointing: args.checkpointing,
    maxRuns: 10_000, // a whole e2e session
    extraRoutes: (req) => admin(fake)(req),
    logger: log,
  });
  let stopping = false;
  const stop = async (signal: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(code || 1), 10_000).unref(); // never hang on the way out
    await fake.close();
    out({ event: "stopped", signal });
    process.exit(code);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));

  const port = await fake.listen(Number(args.port), args.host);
  try {
    for (const app of apps) await syncWithRetry(fake, app, Number(args["sync-timeout-ms"]));
  } catch (err) {
    out({ event: "error", message: err instanceof Error ? err.message : String(err) });
    await stop("sync-failed", 1);
    return;
  }
  const env = signingKey
    ? { INNGEST_DEV: "0", INNGEST_BASE_URL: fake.url, INNGEST_SIGNING_KEY: "<same key>", INNGEST_EVENT_KEY: "<any key>" }
    : { INNGEST_DEV: "1", INNGEST_BASE_URL: fake.url };
  out({ event: "ready", url: fake.url, port, mode: signingKey ? "cloud" : "dev", apps: [...apps], functions: fake.functions.map((f) => f.id), env });
}

main().catch((err: unknown) => {
  out({ event: "error", message: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});

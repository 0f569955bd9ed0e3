/**
 * The benchmark of record: `npm run bench [-- --full] [--only rules,dispatch,store,review,api]`.
 * Each measure next to its floor measured in the same run on the same data, as one table, and as
 * JSON in artifacts/bench.json. Not a test: it asserts nothing about time. Data is seeded in SQL
 * (generate_series) in a fresh database on TEST_DATABASE_URL's server (dropped afterwards), or an
 * embedded PGlite when that is unset. --full (or BENCH_FULL=1) adds the full-size runs.
 */
import fs from "node:fs";
import pg from "pg";
import { provisionTestDatabase } from "./test-db.mjs";

const args = process.argv.slice(2);
const full = args.includes("--full") || process.env.BENCH_FULL === "1";
const onlyArg = args.find((a, i) => args[i - 1] === "--only" || a.startsWith("--only="))?.replace(/^--only=/, "");
const only = new Set(onlyArg ? onlyArg.split(",") : ["rules", "dispatch", "store", "review", "api"]);
const SIZES = {
  rulesDeals: 100_000,
  dispatch: full ? [10_000, 50_000] : [10_000],
  schedules: 100_000,
  findings: full ? [10_000, 100_000] : [100_000],
  reviewDeals: full ? [1_000, 10_000, 100_000] : [1_000, 10_000],
  apiRuns: 1_000_000,
  apiSeconds: full ? 20 : 10,
};

let peakRss = 0;
const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);

const db = await provisionTestDatabase({ embeddedPort: Number(process.env.BENCH_DB_PORT ?? 54369) });
process.env.DATABASE_URL = db.url;
process.env.DATABASE_POOL_SIZE ??= "5";
process.env.LOG_LEVEL ??= "warn"; // one run.queued line per run would time the logger
const client = new pg.Client({ connectionString: db.url });
await client.connect();

// Everything that reads the environment (database, Inngest client) is imported after it is set.
const { machine, printTable, ratio } = await import("./bench/measure");
const rows: import("./bench/measure").Row[] = [];
const startedAt = new Date();
try {
  if (only.has("rules")) rows.push(...(await (await import("./bench/rules")).benchRules(SIZES.rulesDeals, 10)));
  const { startExecutor, benchReview } = await import("./bench/review");
  if (only.has("review")) {
    const { executor, close } = await startExecutor();
    try {
      await benchReview(client, executor, 100); // warm-up: the first review pays for loading and JIT
      for (const n of SIZES.reviewDeals) rows.push(await benchReview(client, executor, n));
    } finally {
      await close();
    }
  }
  // The dispatcher's events go to an executor that takes them without running the reviews.
  const sink = await startExecutor(false);
  try {
    if (only.has("dispatch")) {
      const { benchDispatch } = await import("./bench/dispatch");
      for (const due of SIZES.dispatch) rows.push(await benchDispatch(client, SIZES.schedules, due));
    }
    if (only.has("store")) {
      const { benchStore } = await import("./bench/store");
      for (const n of SIZES.findings) rows.push(await benchStore(client, n));
    }
  } finally {
    await sink.close();
  }
  // 1M runs seeded into the single-session WASM database would take most of the bench and measure PGlite, not the app.
  if (only.has("api") && db.embedded && !onlyArg) console.log("[bench] api part skipped: embedded PGlite (set TEST_DATABASE_URL to a PostgreSQL server, or pass --only api to force it)");
  else if (only.has("api")) rows.push(...(await (await import("./bench/api")).benchApi(client, db.url, SIZES.apiRuns, SIZES.apiSeconds)));
  rows.push({ measure: "bench process peak RSS", value: peakRss / 1024 / 1024, unit: "MB", floor: null, floorLabel: "" });
  const info = { ...machine(), full, database: db.embedded ? "embedded PGlite" : "PostgreSQL", startedAt: startedAt.toISOString(), seconds: (Date.now() - startedAt.getTime()) / 1000 };
  console.log(`revwatch bench: node ${info.node}, ${info.cpus} cpus, load ${info.loadavg.join(" ")}, ${info.database}${full ? ", full size" : ""}`);
  printTable(rows);
  fs.mkdirSync("artifacts", { recursive: true });
  fs.writeFileSync("artifacts/bench.json", JSON.stringify({ ...info, rows: rows.map((r) => ({ ...r, ratio: ratio(r) })) }, null, 2));
  console.log("written: artifacts/bench.json");
} finally {
  clearInterval(rssTimer);
  await client.end();
  const { disconnectDb } = await import("@/lib/db");
  await disconnectDb();
  await db.cleanup();
}
process.exit(0);

// `npm test`: the whole suite on a fresh database.
//   1. database: TEST_DATABASE_URL's server (a new database, dropped after) or an embedded PGlite
//   2. migrations applied + drift check (schema.prisma vs prisma/migrations)
//   3. vitest: unit + integration (the integration files talk to the app stack over HTTP) + reliability
//   4. Playwright against the same stack, in Chromium (CHROMIUM_PATH, else /usr/bin/chromium)
//   5. Playwright against the app command itself (`npm run dev`, fresh data folder: playwright.dev.config.ts)
// Prints one closing line "tests: N passed, N failed". Without a Chromium the browser suite is
// reported as NOT RUN (exit 1 when E2E_REQUIRED=1, as in CI).
import fs from "node:fs";
import { spawn } from "node:child_process";
import { provisionTestDatabase } from "./test-db.mjs";
import { startStack } from "./e2e-serve.mjs";
import { bin } from "./run.mjs";

// npm test [-- unit|integration|reliability|e2e|dev [files...]]: one part, optionally only some of its files.
const only = process.argv[2];
const files = process.argv.slice(3);
const pick = (dir) => (files.length ? files : [dir]);
const want = (part) => !only || only === part;
fs.mkdirSync("artifacts", { recursive: true });

export function findChromium() {
  for (const p of [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"]) if (p && fs.existsSync(p)) return p;
  return null;
}

// Async on purpose: the embedded database is served from this process's event loop.
function sh(cmd, args, env) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: "inherit", env });
    child.on("error", () => resolve(1));
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

const counts = { passed: 0, failed: 0 };
function addVitest(file) {
  if (!fs.existsSync(file)) return (counts.failed += 1);
  const r = JSON.parse(fs.readFileSync(file, "utf8"));
  counts.passed += r.numPassedTests;
  counts.failed += r.numFailedTests + (r.success ? 0 : r.numFailedTests === 0 ? 1 : 0);
}
function addPlaywright(file) {
  if (!fs.existsSync(file)) return (counts.failed += 1);
  const s = JSON.parse(fs.readFileSync(file, "utf8")).stats;
  counts.passed += s.expected + s.flaky;
  counts.failed += s.unexpected;
}

const db = await provisionTestDatabase();
console.log(`[test] database: ${db.embedded ? "embedded PGlite" : "PostgreSQL"} (fresh)`);
let stack = null;
let exitCode = 0;
try {
  const baseEnv = { ...process.env, DATABASE_URL: db.url, ...(db.shadowUrl ? { SHADOW_DATABASE_URL: db.shadowUrl } : {}) };
  if ((await sh("node", ["scripts/drift-check.mjs"], baseEnv)) !== 0) counts.failed += 1;

  if (want("unit")) {
    await sh(bin("vitest"), ["run", ...pick("tests/unit"), "--reporter=default", "--reporter=json", "--outputFile.json=artifacts/vitest-unit.json"], baseEnv);
    addVitest("artifacts/vitest-unit.json");
  }
  if (want("integration") || want("reliability") || want("e2e")) {
    // Always build in a test run (a stale build would test old code) unless told otherwise.
    stack = await startStack({ databaseUrl: db.url, build: process.env.E2E_SKIP_BUILD !== "1" });
  }
  if (want("integration")) {
    await sh(bin("vitest"), ["run", ...pick("tests/integration"), "--reporter=default", "--reporter=json", "--outputFile.json=artifacts/vitest-integration.json"], stack.env);
    addVitest("artifacts/vitest-integration.json");
  }
  if (want("reliability")) {
    // Fault injection, duplicate step execution, input fuzzing and tenant isolation against the stack.
    await sh(bin("vitest"), ["run", ...pick("tests/reliability"), "--reporter=default", "--reporter=json", "--outputFile.json=artifacts/vitest-reliability.json"], stack.env);
    addVitest("artifacts/vitest-reliability.json");
  }
  if (want("e2e") || want("dev")) {
    const chromium = findChromium();
    // Specs import lib modules marked "server-only" (a test is server code).
    const playwright = (args, env, json) =>
      sh(bin("playwright"), ["test", ...args, "--reporter=list,json"], {
        ...env,
        CHROMIUM_PATH: chromium,
        PLAYWRIGHT_JSON_OUTPUT_NAME: json,
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --conditions=react-server`.trim(),
      }).then(() => addPlaywright(json));
    if (!chromium) {
      console.log("\n[test] BROWSER SUITE NOT RUN: no Chromium found. Install one (Debian: apt-get install -y chromium) or set CHROMIUM_PATH.");
      if (process.env.E2E_REQUIRED === "1") counts.failed += 1;
    } else {
      if (want("e2e")) await playwright(files, { ...stack.env, E2E_EXTERNAL_SERVER: "1" }, "artifacts/playwright.json");
      // The app command itself: `npm run dev` on its own ports and a fresh data folder (playwright.dev.config.ts).
      if (want("dev")) await playwright(["-c", "playwright.dev.config.ts", ...(only === "dev" ? files : [])], process.env, "artifacts/playwright-dev.json");
    }
  }
} catch (e) {
  console.error(`[test] ${e.stack ?? e}`);
  counts.failed += 1;
} finally {
  await stack?.stop();
  await db.cleanup();
}
if (counts.failed) exitCode = 1;
console.log(`\ntests: ${counts.passed} passed, ${counts.failed} failed`);
process.exit(exitCode);

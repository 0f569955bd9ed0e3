// `npm run e2e:serve`: the built app on http://localhost:3100 with every test double it needs, on
// fixed loopback ports: the local Inngest executor 8288 (scripts/local-executor; crons off so tests
// trigger them, retries without backoff), fake Resend 8301, fake Slack 8302 (admin 8303), fake HubSpot 8304
// and fake Salesforce 8305 (OAuth consent pages, token endpoints and APIs; tests/support/fake-crm-cli.ts), fake alert
// webhook receiver 8306. Uses DATABASE_URL when set, else provisions a fresh test database. Builds first when .next
// (NEXT_DIST_DIR) is missing or E2E_BUILD=1. Ports: E2E_APP_PORT, E2E_EXECUTOR_PORT, FAKE_RESEND_PORT, FAKE_SLACK_PORT,
// FAKE_DELIVERY_ADMIN_PORT, FAKE_HUBSPOT_PORT, FAKE_SALESFORCE_PORT, FAKE_WEBHOOK_PORT. Playwright uses this as its
// webServer; `npm test` starts it once for everything.
import { spawn } from "node:child_process";
import fs from "node:fs";
import { localEnv } from "./local-env.mjs";
import { bin, onShutdown, run } from "./run.mjs";
import { provisionTestDatabase } from "./test-db.mjs";

// Overridable so several checkouts (or engineers) can run stacks side by side.
const port = (name, def) => Number(process.env[name] ?? def);
export const E2E_PORTS = {
  app: port("E2E_APP_PORT", 3100),
  executor: port("E2E_EXECUTOR_PORT", 8288),
  resend: port("FAKE_RESEND_PORT", 8301),
  slack: port("FAKE_SLACK_PORT", 8302),
  deliveryAdmin: port("FAKE_DELIVERY_ADMIN_PORT", 8303),
  hubspot: port("FAKE_HUBSPOT_PORT", 8304),
  salesforce: port("FAKE_SALESFORCE_PORT", 8305),
  webhook: port("FAKE_WEBHOOK_PORT", 8306),
};
// The fakes' OAuth apps (tests/support/fake-oauth.ts defaults); the fake CRM process reads the same vars.
const FAKE_CRM_APP = { id: "fake-client-id-123", secret: "fake-client-secret-456" };
const APP_URL = `http://localhost:${E2E_PORTS.app}`;

export function e2eEnv(base) {
  return localEnv({
    ...base,
    // A built app started for tests: NODE_ENV=test keeps the development identity allowed.
    NODE_ENV: "test",
    APP_URL,
    INNGEST_DEV: "1",
    INNGEST_BASE_URL: `http://127.0.0.1:${E2E_PORTS.executor}`,
    REVWATCH_EXECUTOR: "local", // scripts/local-executor: run links point at /dev/executor
    RESEND_API_KEY: "re_test_e2e",
    RESEND_BASE_URL: `http://127.0.0.1:${E2E_PORTS.resend}`,
    ALLOW_LOOPBACK_DELIVERY: "1",
    DEMO_CRM_FAULTS: "1",
    LOG_LEVEL: base.LOG_LEVEL ?? "warn",
    E2E_APP_PORT: String(E2E_PORTS.app),
    E2E_EXECUTOR_PORT: String(E2E_PORTS.executor),
    FAKE_RESEND_PORT: String(E2E_PORTS.resend),
    FAKE_SLACK_PORT: String(E2E_PORTS.slack),
    FAKE_DELIVERY_ADMIN_PORT: String(E2E_PORTS.deliveryAdmin),
    FAKE_HUBSPOT_PORT: String(E2E_PORTS.hubspot),
    FAKE_SALESFORCE_PORT: String(E2E_PORTS.salesforce),
    HUBSPOT_CLIENT_ID: FAKE_CRM_APP.id,
    HUBSPOT_CLIENT_SECRET: FAKE_CRM_APP.secret,
    HUBSPOT_AUTH_BASE_URL: `http://127.0.0.1:${E2E_PORTS.hubspot}`,
    HUBSPOT_API_BASE_URL: `http://127.0.0.1:${E2E_PORTS.hubspot}`,
    SALESFORCE_CLIENT_ID: FAKE_CRM_APP.id,
    SALESFORCE_CLIENT_SECRET: FAKE_CRM_APP.secret,
    SALESFORCE_LOGIN_URL: `http://127.0.0.1:${E2E_PORTS.salesforce}`,
    SALESFORCE_SANDBOX_LOGIN_URL: `http://127.0.0.1:${E2E_PORTS.salesforce}`,
    FAKE_WEBHOOK_PORT: String(E2E_PORTS.webhook),
  });
}

async function waitFor(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** Starts the stack; resolves once the app and the executor are ready. */
export async function startStack({ databaseUrl, build = false, log = (l) => console.log(l) } = {}) {
  const env = e2eEnv({ ...process.env, DATABASE_URL: databaseUrl });
  const distDir = process.env.NEXT_DIST_DIR ?? ".next";
  if (build || !fs.existsSync(`${distDir}/BUILD_ID`) || process.env.E2E_BUILD === "1") {
    log("[e2e] building the app (next build)");
    await run(bin("next"), ["build"], { env, quiet: true });
  }
  const children = [];
  const start = (cmd, args) => {
    const c = spawn(cmd, args, { env, stdio: ["ignore", "inherit", "inherit"] });
    children.push(c);
    return c;
  };
  start(bin("tsx"), ["tests/support/fake-delivery-cli.ts"]);
  start(bin("tsx"), ["tests/support/fake-crm-cli.ts"]);
  start(bin("next"), ["start", "-p", String(E2E_PORTS.app)]);
  await waitFor(`${APP_URL}/api/health`, 60_000);
  start(bin("tsx"), [
    "scripts/local-executor/cli.ts", "--quiet", "--no-crons", "--backoff-scale", "0",
    "--port", String(E2E_PORTS.executor), "--app", `http://127.0.0.1:${E2E_PORTS.app}/api/inngest`,
  ]);
  await waitFor(`http://127.0.0.1:${E2E_PORTS.executor}/__admin/functions`, 60_000);
  await waitFor(`http://127.0.0.1:${E2E_PORTS.deliveryAdmin}/emails`, 10_000);
  await waitFor(`http://127.0.0.1:${E2E_PORTS.hubspot}/__admin/health`, 10_000);
  await waitFor(`http://127.0.0.1:${E2E_PORTS.salesforce}/__admin/health`, 10_000);
  log(`[e2e] ready: app ${APP_URL}, executor :${E2E_PORTS.executor}, resend :${E2E_PORTS.resend}, slack :${E2E_PORTS.slack}, webhook :${E2E_PORTS.webhook}`);
  return {
    env,
    async stop() {
      for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
      await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once("exit", r)) : null)));
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let db = null;
  if (!process.env.DATABASE_URL) db = await provisionTestDatabase();
  const stack = await startStack({ databaseUrl: process.env.DATABASE_URL ?? db.url });
  onShutdown(async () => {
    await stack.stop();
    await db?.cleanup();
  });
}

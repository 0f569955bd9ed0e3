import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

// The app command itself under test: `npm run dev` (next dev, the embedded database, the local
// executor with live crons) on its own ports and a fresh data folder, as on a fresh clone.
// Ports: E2E_DEV_APP_PORT (3300), E2E_DEV_EXECUTOR_PORT (8389), E2E_DEV_PG_PORT (54359, shadow +1).
const port = (name: string, def: number) => Number(process.env[name] ?? def);
const appPort = port("E2E_DEV_APP_PORT", 3300);
const pgPort = port("E2E_DEV_PG_PORT", 54359);
// Set once in the runner; workers inherit it, so specs reach the same database.
process.env.E2E_DEV_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), "revwatch-dev-"));
process.env.DATABASE_URL = `postgresql://postgres:postgres@127.0.0.1:${pgPort}/postgres?sslmode=disable`;

const INHERITED = ["DATABASE_URL", "SHADOW_DATABASE_URL", "INNGEST_BASE_URL", "INNGEST_DEV", "RESEND_API_KEY", "RESEND_BASE_URL", "ALLOW_LOOPBACK_DELIVERY", "APP_URL"];

export default defineConfig({
  ...base,
  testDir: "tests/e2e-dev",
  outputDir: `artifacts/playwright-dev-${appPort}`,
  timeout: 360_000,
  use: { ...base.use, baseURL: `http://localhost:${appPort}` },
  webServer: {
    // Whatever the caller's environment points at (npm test's stack: its database, executor, fake
    // Resend), the app command starts from nothing, as on a fresh clone.
    command: `env ${INHERITED.map((v) => `-u ${v}`).join(" ")} node scripts/dev.mjs`,
    url: `http://localhost:${appPort}/api/health`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      NODE_ENV: "development",
      PORT: String(appPort),
      DATA_DIR: process.env.E2E_DEV_DATA_DIR,
      EMBEDDED_PG_PORT: String(pgPort),
      LOCAL_EXECUTOR_PORT: String(port("E2E_DEV_EXECUTOR_PORT", 8389)),
      // No Dev Server detection: another stack may hold :8288.
      REVWATCH_EXECUTOR: "local",
      NEXT_DIST_DIR: `.next-dev-${appPort}`,
      // A flaky Demo CRM (fail=...) for the retry case, and backoff at a tenth of Inngest's.
      DEMO_CRM_FAULTS: "1",
      LOCAL_EXECUTOR_BACKOFF_SCALE: "0.1",
    },
  },
});

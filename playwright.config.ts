import { defineConfig } from "@playwright/test";

// Chromium comes from the OS (Debian: apt-get install -y chromium), never from a download.
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const baseURL = `http://localhost:${process.env.E2E_APP_PORT ?? 3100}`;

export default defineConfig({
  testDir: "tests/e2e",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  outputDir: "artifacts/playwright",
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
      ],
    },
  },
  // `npm test` starts the stack once for vitest and Playwright; alone, Playwright starts it here.
  webServer: process.env.E2E_EXTERNAL_SERVER
    ? undefined
    : { command: "npm run e2e:serve", url: `${baseURL}/api/health`, timeout: 240_000, reuseExistingServer: true },
});

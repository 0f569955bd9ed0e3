// Which executor serves the app: the dev command's detection of a real Dev Server, the app's view
// of it (links, health), and the production refusal of the local executor.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, test, vi } from "vitest";
import { executorStatus, runDashboardUrl } from "@/lib/executor";
import { resetEnvCache } from "@/lib/env";
import { LOCAL_EXECUTOR_NAME as SCRIPT_NAME } from "@/scripts/local-executor/executor";
import { LOCAL_EXECUTOR_NAME } from "@/lib/executor";
import { devServerAnswers, installedDevServerBinary } from "@/scripts/dev-executor.mjs";

const servers: Server[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  resetEnvCache();
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

async function serve(body: unknown, type = "application/json"): Promise<string> {
  const server = createServer((_, res) => res.writeHead(200, { "content-type": type }).end(typeof body === "string" ? body : JSON.stringify(body)));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function env(vars: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(vars)) vi.stubEnv(k, v);
  resetEnvCache();
}

describe("the dev command's detection", () => {
  test("the inngest-cli package's placeholder script is not a Dev Server binary; the downloaded binary is", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "inngest-cli-bin-"));
    fs.writeFileSync(path.join(dir, "inngest"), "#!/usr/bin/env node\nconsole.log('binary not installed')\n");
    expect(installedDevServerBinary(dir)).toBeNull();
    fs.writeFileSync(path.join(dir, "inngest"), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]));
    expect(installedDevServerBinary(dir)).toBe(path.join(dir, "inngest"));
    expect(installedDevServerBinary(path.join(dir, "missing"))).toBeNull();
  });

  test("a Dev Server answers GET /dev with its info; the local executor or anything else does not count", async () => {
    expect(await devServerAnswers(await serve({ version: "1.45.1", startOpts: { sdkURLs: [] }, isSingleNodeService: false }))).toBe(true);
    expect(await devServerAnswers(await serve({ status: 200, name: LOCAL_EXECUTOR_NAME, mode: "dev" }))).toBe(false);
    expect(await devServerAnswers(await serve("<html>hello</html>", "text/html"))).toBe(false);
    expect(await devServerAnswers("http://127.0.0.1:1")).toBe(false);
  });
});

describe("the app's view", () => {
  test("the app and the executor agree on the executor's name", () => {
    expect(LOCAL_EXECUTOR_NAME).toBe(SCRIPT_NAME);
  });

  test("dev mode on the local executor: kind local-executor, runs link to /dev/executor", async () => {
    const url = await serve({ status: 200, name: LOCAL_EXECUTOR_NAME, mode: "dev" });
    env({ NODE_ENV: "development", INNGEST_DEV: "1", INNGEST_BASE_URL: url, REVWATCH_EXECUTOR: "local", APP_URL: "http://localhost:3000" });
    expect(await executorStatus()).toMatchObject({ mode: "dev", kind: "local-executor", reachable: true, dashboardUrl: "http://localhost:3000/dev/executor" });
    expect(runDashboardUrl("01ABC")).toBe("http://localhost:3000/dev/executor?run=01ABC");
  });

  test("a refused probe is cached, and a fresh probe sees an executor that started since (CI: a run failed 503 within 5 s of stack start)", async () => {
    const server = createServer((_, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ name: LOCAL_EXECUTOR_NAME })));
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const port = (server.address() as AddressInfo).port;
    await new Promise((r) => server.close(r)); // the port is known and nothing listens on it yet
    env({ NODE_ENV: "development", INNGEST_DEV: "1", INNGEST_BASE_URL: `http://127.0.0.1:${port}`, REVWATCH_EXECUTOR: "local", APP_URL: "http://localhost:3000" });
    expect(await executorStatus()).toMatchObject({ reachable: false, refused: true });
    await new Promise<void>((r) => server.listen(port, "127.0.0.1", () => r()));
    expect(await executorStatus()).toMatchObject({ refused: true }); // still the cached answer
    expect(await executorStatus({ fresh: true })).toMatchObject({ reachable: true, refused: false, kind: "local-executor" });
  });

  test("dev mode on a Dev Server: kind dev-server, runs link to its dashboard", async () => {
    const url = await serve("<html>Inngest Dev Server</html>", "text/html");
    env({ NODE_ENV: "development", INNGEST_DEV: "1", INNGEST_BASE_URL: url, REVWATCH_EXECUTOR: undefined });
    expect(await executorStatus()).toMatchObject({ kind: "dev-server", reachable: true });
    expect(runDashboardUrl("01ABC")).toBe(`${url}/run?runID=01ABC`);
  });

  test("production with INNGEST_DEV unset never uses the local executor, whatever REVWATCH_EXECUTOR says", async () => {
    env({
      NODE_ENV: "production", INNGEST_DEV: undefined, INNGEST_BASE_URL: undefined, REVWATCH_EXECUTOR: "local",
      APP_URL: "https://revwatch.example", DATABASE_URL: "postgresql://db.example/revwatch", ENCRYPTION_KEY: "ab".repeat(32),
      NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY: "pk_live_Y2xlcmsucmV2d2F0Y2guZXhhbXBsZSQ", CLERK_SECRET_KEY: "sk_live_x",
      INNGEST_SIGNING_KEY: "signkey-prod-0123", INNGEST_EVENT_KEY: "evt",
    });
    expect(await executorStatus()).toMatchObject({ mode: "cloud", kind: "inngest-cloud" });
    expect(runDashboardUrl("01ABC")).toBe("https://app.inngest.com/env/production/runs/01ABC");
    env({ INNGEST_BASE_URL: "https://inngest.internal.example" });
    expect(await executorStatus()).toMatchObject({ mode: "cloud", kind: "self-hosted", url: "https://inngest.internal.example" });
    expect(runDashboardUrl("01ABC")).toBe("https://inngest.internal.example/run?runID=01ABC");
  });

  test("the executor process refuses to start with NODE_ENV=production", () => {
    const cli = path.resolve(import.meta.dirname, "../../scripts/local-executor/cli.ts");
    const r = spawnSync(process.execPath, ["--import", "tsx", cli, "--port", "0"], { env: { ...process.env, NODE_ENV: "production" }, encoding: "utf8", timeout: 30_000 });
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout.trim())).toMatchObject({ event: "error", message: expect.stringContaining("refuses to start with NODE_ENV=production") });
  });
});

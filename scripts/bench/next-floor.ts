// The framework's own floor: the same Next.js serving one route handler that answers /api/me's body
// with no proxy, no session and no database, built and started like the app (next build, next start).
// It separates what Next itself costs per request on this machine from what the app adds on top.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const ROUTE = `export const dynamic = "force-dynamic";
export function GET() {
  return Response.json({ owner_id: "org_api", user_id: "user_api", org_id: "org_api", plan: "team", role: "admin" });
}
`;

async function waitFor(url: string, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`bench next-floor: ${url} did not answer within ${timeoutMs} ms`);
}

/** Builds the one-route app in a temp dir and starts it on `port`; stop() ends it and removes the dir. */
export async function startNextFloor(port: number): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "revwatch-next-floor-"));
  fs.mkdirSync(path.join(dir, "app/me"), { recursive: true });
  fs.writeFileSync(path.join(dir, "app/me/route.js"), ROUTE);
  fs.writeFileSync(path.join(dir, "package.json"), '{ "private": true }\n');
  fs.writeFileSync(path.join(dir, "next.config.mjs"), "export default {};\n");
  // The project's own Next, not a copy. Webpack: Turbopack refuses a node_modules outside its root.
  fs.symlinkSync(path.resolve("node_modules"), path.join(dir, "node_modules"), "dir");
  const next = path.join(dir, "node_modules/.bin/next");
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
  const built = spawnSync(next, ["build", "--webpack"], { cwd: dir, env, encoding: "utf8" });
  if (built.status !== 0) throw new Error(`bench next-floor: next build failed:\n${built.stdout}\n${built.stderr}`);
  const server = spawn(next, ["start", "-p", String(port), "-H", "127.0.0.1"], { cwd: dir, env, stdio: "ignore", detached: true });
  const stop = async () => {
    if (server.exitCode === null) {
      const exited = new Promise((r) => server.once("exit", r));
      try {
        process.kill(-server.pid!, "SIGTERM"); // its group: next start may fork a worker
      } catch {
        /* already gone */
      }
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(`http://127.0.0.1:${port}/me`, 60_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `http://127.0.0.1:${port}/me`, stop };
}

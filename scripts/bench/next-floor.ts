// The framework's own floor: the same Next.js version serving one route handler that answers /api/me's
// body with no proxy, no session and no database, built and started like the app (next build, next
// start). It separates what Next itself costs per request on this machine from what the app adds.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const ROUTE = `export const dynamic = "force-dynamic";
export function GET() {
  return Response.json({ owner_id: "org_api", user_id: "user_api", org_id: "org_api", plan: "team", role: "admin" });
}
`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Refuses a taken port up front: a leftover server there would answer and be measured instead. */
async function assertPortFree(port: number) {
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer().once("error", () => reject(new Error(`bench next-floor: port ${port} is in use (BENCH_NEXT_FLOOR_PORT)`)));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve()));
  });
}

/** Builds the one-route app in a temp dir and starts it on `port`; stop() ends it and removes the dir. */
export async function startNextFloor(port: number): Promise<{ url: string; stop: () => Promise<void> }> {
  await assertPortFree(port);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "revwatch-next-floor-"));
  const removeDir = () => fs.rmSync(dir, { recursive: true, force: true }); // unlinks the node_modules link, never follows it
  // Only what Next needs: none of the bench's database, executor or dist-dir settings reach it.
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production" as const, NEXT_TELEMETRY_DISABLED: "1" };
  const next = path.join(dir, "node_modules/.bin/next");
  try {
    fs.mkdirSync(path.join(dir, "app/me"), { recursive: true });
    fs.writeFileSync(path.join(dir, "app/me/route.js"), ROUTE);
    fs.writeFileSync(path.join(dir, "package.json"), '{ "private": true }\n');
    fs.writeFileSync(path.join(dir, "next.config.mjs"), "export default {};\n");
    // The project's own Next, not a copy. Webpack: Turbopack refuses a node_modules outside its root.
    fs.symlinkSync(path.resolve("node_modules"), path.join(dir, "node_modules"), "dir");
    const built = spawnSync(next, ["build", "--webpack"], { cwd: dir, env, encoding: "utf8", timeout: 300_000, killSignal: "SIGKILL" });
    if (built.status !== 0) throw new Error(`bench next-floor: next build failed (${built.error?.message ?? `exit ${built.status}`}):\n${built.stdout}\n${built.stderr}`);
  } catch (err) {
    removeDir();
    throw err;
  }

  let stderr = "";
  const server = spawn(next, ["start", "-p", String(port), "-H", "127.0.0.1"], { cwd: dir, env, stdio: ["ignore", "ignore", "pipe"], detached: true });
  server.stderr!.on("data", (c: Buffer) => void (stderr = (stderr + c.toString()).slice(-4000)));
  const exited = new Promise<void>((r) => server.once("exit", () => r()));
  const running = () => server.exitCode === null && server.signalCode === null;
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-server.pid!, signal); // its group: next start may fork a worker
    } catch {
      /* already gone */
    }
  };
  // Its own process group, so a bench killed without running its finally blocks must still end it.
  const onExit = () => kill("SIGKILL");
  process.once("exit", onExit);
  const stop = async () => {
    process.off("exit", onExit);
    if (running()) {
      kill("SIGTERM");
      await Promise.race([exited, sleep(5000)]);
      if (running()) {
        kill("SIGKILL");
        await Promise.race([exited, sleep(5000)]);
      }
    }
    removeDir();
  };

  try {
    const until = Date.now() + 60_000;
    for (;;) {
      // A server that could not start (the port taken) fails at once, not after the whole wait.
      if (!running()) throw new Error(`bench next-floor: next start exited (code ${server.exitCode}, signal ${server.signalCode}):\n${stderr}`);
      if (await fetch(`http://127.0.0.1:${port}/me`).then((r) => r.ok, () => false)) break;
      if (Date.now() > until) throw new Error(`bench next-floor: http://127.0.0.1:${port}/me did not answer within 60 s:\n${stderr}`);
      await sleep(200);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `http://127.0.0.1:${port}/me`, stop };
}

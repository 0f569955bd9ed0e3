// Which Inngest executor `npm run dev` uses, first match wins:
//   1. INNGEST_BASE_URL is set: that server (a Dev Server or a self-hosted Inngest you run yourself);
//   2. the Inngest Dev Server binary is installed (inngest-cli's install script ran): start it on :8288;
//   3. a Dev Server already answers on :8288 (`npx inngest-cli dev`): use it;
//   4. otherwise the local executor (scripts/local-executor) on LOCAL_EXECUTOR_PORT, journal in the data folder.
// REVWATCH_EXECUTOR=local or =dev-server skips the detection. Never in production: the local
// executor refuses NODE_ENV=production itself, and this is the development command.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const DEV_SERVER_URL = "http://127.0.0.1:8288";
const root = new URL("..", import.meta.url).pathname;

/** The real binary, not the npm package's placeholder script that its install script replaces. */
export function installedDevServerBinary(dir = path.join(root, "node_modules/inngest-cli/bin")) {
  for (const name of ["inngest.exe", "inngest"]) {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) continue;
    const head = Buffer.alloc(2);
    const fd = fs.openSync(file, "r");
    fs.readSync(fd, head, 0, 2, 0);
    fs.closeSync(fd);
    if (head.toString() !== "#!") return file;
  }
  return null;
}

/** A Dev Server answers GET /dev with its info ({version, startOpts, ...}); the local executor does not. */
export async function devServerAnswers(url = DEV_SERVER_URL) {
  try {
    const res = await fetch(`${url}/dev`, { signal: AbortSignal.timeout(1_000) });
    if (!res.ok) return false;
    const info = await res.json();
    return typeof info?.version === "string" && "startOpts" in info;
  } catch {
    return false;
  }
}

async function waitForReady(child, what) {
  let buffered = "";
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk) => {
      buffered += chunk;
      for (let nl = buffered.indexOf("\n"); nl >= 0; nl = buffered.indexOf("\n")) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        try {
          const msg = JSON.parse(line);
          if (msg.event === "ready") resolve(msg);
          if (msg.event === "error") reject(new Error(`${what}: ${msg.message}`));
        } catch {
          process.stdout.write(`${line}\n`);
        }
      }
    });
    child.once("exit", (code) => reject(new Error(`${what} exited with code ${code}`)));
  });
}

/**
 * Starts (or finds) the executor; sets INNGEST_DEV/INNGEST_BASE_URL in env for the app.
 * Resolves to { kind, url, child?, ready? } where ready resolves once the executor has synced the app.
 */
export async function startDevExecutor({ env, appPort, dataDir, children }) {
  const forced = env.REVWATCH_EXECUTOR;
  const serveUrl = `http://127.0.0.1:${appPort}/api/inngest`;
  if (env.INNGEST_BASE_URL && forced !== "local") return { kind: "external", url: env.INNGEST_BASE_URL };

  const binary = forced === "local" ? null : installedDevServerBinary();
  if (binary) {
    const dev = spawn(binary, ["dev", "--no-discovery", "-u", serveUrl], { stdio: "inherit", env });
    children.push(dev);
    env.INNGEST_BASE_URL = DEV_SERVER_URL;
    return { kind: "dev-server", url: DEV_SERVER_URL, started: true };
  }
  if (forced === "dev-server" || (forced !== "local" && (await devServerAnswers()))) {
    env.INNGEST_BASE_URL = DEV_SERVER_URL;
    return { kind: "dev-server", url: DEV_SERVER_URL, started: false };
  }

  // Not 8288/8289: the Dev Server and its Connect gateway use those, so one can start later without a clash.
  const port = Number(env.LOCAL_EXECUTOR_PORT ?? 8290);
  const args = [
    path.join(root, "scripts/local-executor/cli.ts"),
    "--port", String(port), "--app", serveUrl, "--data-dir", path.join(dataDir, "local-executor"),
    // next dev compiles the serve route on first use and reloads it on edits: wait long, re-sync often.
    "--sync-timeout-ms", "300000", "--resync-ms", "15000", "--parent-pid", String(process.pid),
    "--backoff-scale", env.LOCAL_EXECUTOR_BACKOFF_SCALE ?? "1",
  ];
  const child = spawn(process.execPath, ["--import", "tsx", ...args], { stdio: ["ignore", "pipe", "inherit"], env, cwd: root });
  children.push(child);
  env.INNGEST_BASE_URL = `http://127.0.0.1:${port}`;
  env.REVWATCH_EXECUTOR = "local"; // tells the app (links, health) without a probe
  const ready = waitForReady(child, "local executor");
  ready.catch(() => undefined); // reported by the caller
  return { kind: "local-executor", url: env.INNGEST_BASE_URL, child, ready };
}

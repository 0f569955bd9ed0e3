// Small process helpers shared by the dev, test and e2e scripts.
import { spawn } from "node:child_process";

export function run(cmd, args, { env = process.env, quiet = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit", env });
    let out = "";
    child.stdout?.on("data", (d) => (out += d));
    child.stderr?.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(" ")} exited ${code}\n${out}`))));
  });
}

export const bin = (name) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname;

/** Runs cleanup once on exit signals; children started with spawn get SIGTERM from the caller. */
export function onShutdown(fn) {
  let done = false;
  const handler = async (sig) => {
    if (done) return;
    done = true;
    try { await fn(); } finally { process.exit(sig === "SIGINT" ? 130 : 0); }
  };
  process.on("SIGINT", () => handler("SIGINT"));
  process.on("SIGTERM", () => handler("SIGTERM"));
}

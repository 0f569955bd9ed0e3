// Runs a command and ends it when the parent goes away:
//   node scripts/child-guard.mjs <parent pid> <command> [args...]
// `npm run dev` starts `next dev` through it, so a SIGKILLed app command leaves no server holding
// the port (a restart then simply works). The command stays in the caller's process group, so
// Ctrl-C or a kill of the whole group still reaches it. Exits with the command's code.
import { spawn } from "node:child_process";

const [parentPid, cmd, ...args] = process.argv.slice(2);
const child = spawn(cmd, args, { stdio: "inherit" });
let stopping = false;
const stop = (sig) => {
  if (stopping) return;
  stopping = true;
  child.kill(sig);
  setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
};
for (const sig of ["SIGTERM", "SIGINT", "SIGHUP"]) process.on(sig, () => stop(sig === "SIGHUP" ? "SIGTERM" : sig));
setInterval(() => {
  try { process.kill(Number(parentPid), 0); } catch { stop("SIGTERM"); }
}, 1_000).unref();
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

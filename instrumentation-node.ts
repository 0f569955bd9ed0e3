// Node-only half of instrumentation.ts: kept in its own module so the Edge build of
// instrumentation.ts never sees process.exit (Next warns about it on every request in dev).
import { env } from "./lib/env";

export function checkEnv() {
  try {
    env();
  } catch (err) {
    console.error(`[revwatch] ${(err as Error).message}`);
    process.exit(1);
  }
}

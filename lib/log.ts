import pino, { type DestinationStream } from "pino";
import { env } from "@/lib/env";

// JSON logs to stdout; pino's worker-thread transports do not survive Next's bundling, so none here.
// Lines go through `destination` so tests can read them (captureLogs) without touching stdout.
let sink: DestinationStream | null = null;
const destination: DestinationStream = { write: (line: string) => void (sink ?? process.stdout).write(line) };

export const log = pino(
  {
    level: env().LOG_LEVEL ?? (env().NODE_ENV === "test" ? "silent" : "info"),
    base: { app: "revwatch" },
    redact: ["*.authorization", "*.slackWebhookUrl", "*.accessToken", "*.refreshToken"],
  },
  destination,
);

/**
 * The lifecycle events operators grep for (README "Logs"): one line per state change, `event` and
 * `msg` both the event name, ids and counts in snake_case. Failures log at warn.
 */
export type LifecycleEvent = "tick.start" | "tick.end" | "run.queued" | "run.running" | "run.completed" | "run.failed";

export function logEvent(event: LifecycleEvent, fields: Record<string, unknown>, level: "info" | "warn" = "info") {
  log[level]({ event, ...fields }, event);
}

/** Tests: collect the parsed lines logged at `level` or above until restore(). */
export function captureLogs(level: pino.Level = "info") {
  const lines: Record<string, unknown>[] = [];
  const previous = log.level;
  log.level = level;
  sink = { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) };
  return {
    lines,
    restore() {
      sink = null;
      log.level = previous;
    },
  };
}

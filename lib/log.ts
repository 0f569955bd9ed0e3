import pino from "pino";
import { env } from "@/lib/env";

// JSON logs to stdout; pino's worker-thread transports do not survive Next's bundling, so none here.
export const log = pino({
  level: env().LOG_LEVEL ?? (env().NODE_ENV === "test" ? "silent" : "info"),
  base: { app: "revwatch" },
  redact: ["*.authorization", "*.slackWebhookUrl", "*.accessToken", "*.refreshToken"],
});

import pino from "pino";

// JSON logs to stdout; pino's worker-thread transports do not survive Next's bundling, so none here.
export const log = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
  base: { app: "revwatch" },
  redact: ["*.authorization", "*.slackWebhookUrl", "*.accessToken", "*.refreshToken"],
});

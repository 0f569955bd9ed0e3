// Defaults for running on this machine with no keys: the committed development identity, dev-mode
// Inngest, no email provider (dev outbox). Real values in the environment always win.
import fs from "node:fs";

const keys = JSON.parse(fs.readFileSync(new URL("../lib/dev-identity.json", import.meta.url), "utf8"));

export function localEnv(base = process.env) {
  if (base.NODE_ENV === "production") return { ...base };
  const usesDevIdentity = !base.NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY;
  return {
    NEXT_TELEMETRY_DISABLED: "1",
    INNGEST_DEV: "1",
    APP_URL: "http://localhost:3000",
    ...base,
    ...(usesDevIdentity
      ? { NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY: keys.publishableKey, CLERK_SECRET_KEY: keys.secretKey, CLERK_JWT_KEY: keys.jwtPublicKey }
      : {}),
  };
}

import "server-only";
import { z } from "zod";
import devIdentity from "./dev-identity.json" with { type: "json" };

// One schema for every env var the app reads. In production a missing or malformed required var
// stops startup with a message that names it (see instrumentation.ts).
const bool = z.enum(["0", "1", "true", "false"]).transform((v) => v === "1" || v === "true");
const optionalUrl = z.string().url().optional();

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  APP_URL: z.string().url().default("http://localhost:3000"),
  DATABASE_URL: z.string().url().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  ENCRYPTION_KEY: z.string().regex(/^[0-9a-fA-F]{64}$/, "must be 64 hex characters (32 bytes)").optional(),
  NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY: z.string().startsWith("pk_").optional(),
  CLERK_SECRET_KEY: z.string().startsWith("sk_").optional(),
  CLERK_JWT_KEY: z.string().includes("PUBLIC KEY").optional(),
  INNGEST_DEV: z.string().optional(),
  INNGEST_BASE_URL: optionalUrl,
  INNGEST_EVENT_KEY: z.string().optional(),
  INNGEST_SIGNING_KEY: z.string().startsWith("signkey-").optional(),
  INNGEST_SEND_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /** set by the app command: "local" when scripts/local-executor serves the app (dev mode only: production without INNGEST_DEV is cloud mode) */
  REVWATCH_EXECUTOR: z.enum(["local", "dev-server"]).optional(),
  RESEND_API_KEY: z.string().startsWith("re_").optional(),
  RESEND_BASE_URL: optionalUrl,
  FROM_EMAIL: z.string().min(3).default("Revwatch <reviews@revwatch.local>"),
  ALLOW_LOOPBACK_DELIVERY: bool.default(false),
  DEMO_CRM_FAULTS: bool.default(false),
  /** where providers send the browser back after consent (+ /api/crm-connections/callback/<provider>); default APP_URL */
  OAUTH_REDIRECT_BASE_URL: optionalUrl,
  HUBSPOT_CLIENT_ID: z.string().min(1).optional(),
  HUBSPOT_CLIENT_SECRET: z.string().min(1).optional(),
  HUBSPOT_AUTH_BASE_URL: z.string().url().default("https://app.hubspot.com"),
  HUBSPOT_API_BASE_URL: z.string().url().default("https://api.hubapi.com"),
  /** v1 retires 2027-02-16; the 2026-03 path takes the same form body */
  HUBSPOT_TOKEN_PATH: z.string().startsWith("/").default("/oauth/v1/token"),
  SALESFORCE_CLIENT_ID: z.string().min(1).optional(),
  SALESFORCE_CLIENT_SECRET: z.string().min(1).optional(),
  SALESFORCE_LOGIN_URL: z.string().url().default("https://login.salesforce.com"),
  SALESFORCE_SANDBOX_LOGIN_URL: z.string().url().default("https://test.salesforce.com"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
});

export type Env = z.infer<typeof envSchema>;

/** Vars that production cannot run without: local defaults for them would be unsafe or fake. */
const REQUIRED_IN_PRODUCTION = [
  // the app's public origin: session tokens whose azp is another origin are refused (lib/auth.ts)
  "APP_URL",
  "DATABASE_URL",
  "ENCRYPTION_KEY",
  "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY",
  "CLERK_SECRET_KEY",
  "INNGEST_SIGNING_KEY",
  "INNGEST_EVENT_KEY",
] as const;

// Fixed development-only key: encrypts local data so the default app runs with no setup.
const DEV_ENCRYPTION_KEY = "6465762d6f6e6c792d6b65792d6e6f742d666f722d70726f64756374696f6e21";

export function parseEnv(source: Record<string, string | undefined>): Env {
  const res = envSchema.safeParse(source);
  const problems: string[] = res.success
    ? []
    : res.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  if (source.NODE_ENV === "production") {
    for (const name of REQUIRED_IN_PRODUCTION) if (!source[name]) problems.push(`${name}: required in production`);
    if (res.success && (res.data.ALLOW_LOOPBACK_DELIVERY || res.data.DEMO_CRM_FAULTS))
      problems.push("ALLOW_LOOPBACK_DELIVERY / DEMO_CRM_FAULTS: test-only settings are refused in production");
    // The development identity and key are public (committed): anyone could mint tokens or decrypt.
    const devValues: [string, string | undefined][] = [
      ["NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY", devIdentity.publishableKey],
      ["CLERK_SECRET_KEY", devIdentity.secretKey],
      ["CLERK_JWT_KEY", devIdentity.jwtPublicKey],
      ["ENCRYPTION_KEY", DEV_ENCRYPTION_KEY],
    ];
    for (const [name, dev] of devValues)
      if (source[name] && source[name]!.trim() === dev?.trim()) problems.push(`${name}: the development value is refused in production`);
  }
  if (problems.length || !res.success) throw new Error(`Invalid environment:\n  ${problems.join("\n  ")}`);
  const env = res.data;
  env.ENCRYPTION_KEY ??= DEV_ENCRYPTION_KEY;
  return env;
}

let cached: Env | undefined;
/** The one way the app reads its environment (validated once, then cached). */
export function env(): Env {
  // A copy, so NODE_ENV is read at run time rather than the value the build inlined (a built app
  // started for tests runs with NODE_ENV=test).
  cached ??= parseEnv({ ...process.env });
  return cached;
}

export const isProduction = () => env().NODE_ENV === "production";

/** Development tools (local sign-in, dev outbox): never in production. */
export const devToolsAllowed = () => !isProduction();

/** "clerk": a real Clerk instance (ClerkProvider, hosted sign-in). "local": the committed development identity. */
export function clerkMode(): "clerk" | "local" {
  const pk = env().NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY;
  return pk && pk !== devIdentity.publishableKey ? "clerk" : "local";
}
/** Tests change process.env between cases. */
export function resetEnvCache() {
  cached = undefined;
}

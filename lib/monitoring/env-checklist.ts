import "server-only";
import { z } from "zod";
import { envSchema, parseEnv } from "@/lib/env";

// npm run doctor's environment checklist: per feature, which variables are set, missing or malformed.
// It reads the raw environment (env() would stop at the first malformed value, which is what this
// reports) and validates with the same schema and production rules as lib/env.ts. A secret is never
// shown: only its public prefix and length.

/** unset: optional and not given; missing: needed here and not given. */
export type VarState = "set" | "default" | "unset" | "missing" | "malformed";
export type VarReport = { name: string; state: VarState; shown: string | null; problem?: string };
export type FeatureReport = { feature: string; status: "ok" | "off" | "fail"; summary: string; vars: VarReport[] };

type VarSpec = { name: string; secret?: boolean; schema?: z.ZodType };
type Feature = {
  feature: string;
  vars: VarSpec[];
  /** What the feature does with this environment; `needs` lists what production requires to be set. */
  describe: (src: Src, production: boolean) => { on: boolean; summary: string; needs?: string[] };
};
type Src = Record<string, string | undefined>;

const set = (src: Src, name: string) => !!src[name]?.trim();

/** The public head of a secret (re_, sk_live_, signkey-prod-) and its length; never its body. */
export function maskSecret(value: string): string {
  const head = value.match(/^(?:[a-z]+_(?:live_|test_)?|signkey-[a-z]+-)/i)?.[0] ?? "";
  return `${head}•••• (${value.length} chars)`;
}

/** A connection string without its password. */
function maskUrl(value: string): string {
  try {
    const u = new URL(value);
    if (u.password) u.password = "****";
    return u.toString();
  } catch {
    return maskSecret(value);
  }
}

// The CRM OAuth apps (lib/crm/providers.ts): both halves set, or the /crm page's button says what is missing.
const oauthId = z.string().min(8, "looks too short for an OAuth client id");
const oauthReady = (src: Src, p: "HUBSPOT" | "SALESFORCE") => set(src, `${p}_CLIENT_ID`) && set(src, `${p}_CLIENT_SECRET`);
const oauthSummary = (src: Src, p: "HUBSPOT" | "SALESFORCE") =>
  oauthReady(src, p) ? `OAuth app configured; callback ${src.OAUTH_REDIRECT_BASE_URL || src.APP_URL || "http://localhost:3000"}/api/crm-connections/callback/${p.toLowerCase()}`
    : `off: set ${p}_CLIENT_ID and ${p}_CLIENT_SECRET to offer Connect on the CRM page`;

export const FEATURES: Feature[] = [
  {
    feature: "App",
    vars: [{ name: "NODE_ENV" }, { name: "LOG_LEVEL" }, { name: "REVWATCH_EXECUTOR" }, { name: "DEMO_CRM_FAULTS" }],
    describe: (_, production) => ({ on: true, summary: production ? "production" : "development/test defaults allowed" }),
  },
  {
    feature: "Database",
    vars: [{ name: "DATABASE_URL", secret: true }, { name: "DATABASE_POOL_SIZE" }],
    describe: (src) => ({ on: true, summary: set(src, "DATABASE_URL") ? "PostgreSQL at DATABASE_URL" : "embedded PGlite (npm run dev only)", needs: ["DATABASE_URL"] }),
  },
  {
    feature: "Clerk",
    vars: [{ name: "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY" }, { name: "CLERK_SECRET_KEY", secret: true }, { name: "CLERK_JWT_KEY" }, { name: "APP_URL" }],
    describe: (src) => ({
      on: true,
      summary: set(src, "CLERK_SECRET_KEY") ? "Clerk instance keys" : "local sign-in with the development identity",
      needs: ["NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY", "CLERK_SECRET_KEY", "APP_URL"],
    }),
  },
  {
    feature: "Inngest",
    vars: [
      { name: "INNGEST_DEV" }, { name: "INNGEST_BASE_URL" }, { name: "INNGEST_EVENT_KEY", secret: true },
      { name: "INNGEST_SIGNING_KEY", secret: true }, { name: "INNGEST_SEND_TIMEOUT_MS" },
    ],
    describe: (src) => {
      const dev = set(src, "INNGEST_DEV") && !["0", "false"].includes(src.INNGEST_DEV!);
      return { on: true, summary: dev ? "dev mode (Dev Server or local executor)" : "cloud mode (signed requests)", needs: dev ? [] : ["INNGEST_EVENT_KEY", "INNGEST_SIGNING_KEY"] };
    },
  },
  {
    feature: "Email (Resend)",
    vars: [{ name: "RESEND_API_KEY", secret: true }, { name: "FROM_EMAIL" }, { name: "RESEND_BASE_URL" }],
    describe: (src, production) => set(src, "RESEND_API_KEY")
      ? { on: true, summary: "sent through Resend" }
      : production
        ? { on: true, summary: "emails fail with email_not_configured", needs: ["RESEND_API_KEY"] }
        : { on: false, summary: "off: emails go to the dev outbox (/dev/outbox)" },
  },
  {
    feature: "Slack",
    vars: [{ name: "ENCRYPTION_KEY", secret: true }, { name: "ALLOW_LOOPBACK_DELIVERY" }],
    describe: () => ({ on: true, summary: "incoming webhooks per schedule, stored encrypted with ENCRYPTION_KEY", needs: ["ENCRYPTION_KEY"] }),
  },
  {
    feature: "HubSpot",
    vars: [
      { name: "HUBSPOT_CLIENT_ID", schema: oauthId }, { name: "HUBSPOT_CLIENT_SECRET", secret: true, schema: oauthId },
      { name: "HUBSPOT_AUTH_BASE_URL", schema: z.url() }, { name: "HUBSPOT_API_BASE_URL", schema: z.url() }, { name: "HUBSPOT_TOKEN_PATH" },
      { name: "OAUTH_REDIRECT_BASE_URL", schema: z.url() },
    ],
    describe: (src) => ({ on: oauthReady(src, "HUBSPOT"), summary: oauthSummary(src, "HUBSPOT") }),
  },
  {
    feature: "Salesforce",
    vars: [
      { name: "SALESFORCE_CLIENT_ID", schema: oauthId }, { name: "SALESFORCE_CLIENT_SECRET", secret: true, schema: oauthId },
      { name: "SALESFORCE_LOGIN_URL", schema: z.url() }, { name: "SALESFORCE_SANDBOX_LOGIN_URL", schema: z.url() },
      { name: "OAUTH_REDIRECT_BASE_URL", schema: z.url() },
    ],
    describe: (src) => ({ on: oauthReady(src, "SALESFORCE"), summary: oauthSummary(src, "SALESFORCE") }),
  },
];

/** lib/env.ts's own verdict, per variable ("NAME: problem" lines of its error). */
function envProblems(src: Src): Map<string, string> {
  const problems = new Map<string, string>();
  try {
    parseEnv(src);
  } catch (err) {
    for (const line of String(err instanceof Error ? err.message : err).split("\n").slice(1)) {
      const m = line.trim().match(/^([A-Z0-9_ /]+):\s*(.+)$/);
      if (!m) continue;
      // "A / B: message" names two variables
      for (const name of m[1]!.split("/").map((n) => n.trim())) if (!problems.has(name)) problems.set(name, m[2]!);
    }
  }
  return problems;
}

function varReport(spec: VarSpec, src: Src, problems: Map<string, string>, production: boolean, needed: boolean): VarReport {
  const value = src[spec.name];
  const shape = (envSchema.shape as Record<string, z.ZodType | undefined>)[spec.name] ?? spec.schema;
  const problem = problems.get(spec.name) ?? (value && spec.schema ? spec.schema.safeParse(value).error?.issues[0]?.message : undefined);
  const shown = !value ? null : spec.secret ? (spec.name === "DATABASE_URL" ? maskUrl(value) : maskSecret(value)) : value.length > 60 ? `${value.slice(0, 24)}… (${value.length} chars)` : value;
  if (value && problem) return { name: spec.name, state: "malformed", shown, problem };
  if (value) return { name: spec.name, state: "set", shown };
  if (needed && production) return { name: spec.name, state: "missing", shown: null, problem: problem ?? "required in production" };
  const hasDefault = shape?.safeParse(undefined).data !== undefined;
  return { name: spec.name, state: hasDefault ? "default" : "unset", shown: null };
}

export function envChecklist(src: Src): FeatureReport[] {
  const production = src.NODE_ENV === "production";
  const problems = envProblems(src);
  return FEATURES.map((f) => {
    const { on, summary, needs = [] } = f.describe(src, production);
    const vars = f.vars.map((v) => varReport(v, src, problems, production, needs.includes(v.name)));
    const bad = vars.filter((v) => v.state === "malformed" || (v.state === "missing" && v.problem));
    return { feature: f.feature, status: bad.length ? "fail" : on ? "ok" : "off", summary, vars };
  });
}

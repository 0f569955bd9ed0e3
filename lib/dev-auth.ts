import { createSign, randomUUID } from "node:crypto";
import keys from "./dev-auth-keys.json" with { type: "json" };

// Development-only identity: a committed RSA key pair and a pk_live_-form publishable key for a host
// that does not exist. Clerk's real middleware verifies tokens signed by this key offline (jwtKey),
// so local sign-in and tests exercise the same code path as production. Refused in production.
export const DEV_AUTH_KEYS = keys;

export type Plan = "free" | "team" | "business";
export const PLANS: readonly Plan[] = ["free", "team", "business"];
export type MintOptions = {
  userId: string;
  orgId?: string;
  plan?: Plan;
  ttlSeconds?: number;
  now?: number;
  privateKey?: string;
};

/**
 * NODE_ENV as the running process sees it. Next inlines `process.env.NODE_ENV` as "production" in
 * every build; a built app started for tests runs with NODE_ENV=test and must see that.
 */
export function runtimeNodeEnv(): string | undefined {
  return Reflect.get(process.env, "NODE_ENV") as string | undefined;
}

export function devAuthAllowed(): boolean {
  return runtimeNodeEnv() !== "production";
}

/** Whether the app runs on the committed development identity rather than a real Clerk instance. */
export function usingDevIdentity(): boolean {
  return process.env.NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY === keys.publishableKey;
}

/** A Clerk session token (v2 claims) signed with the development key (or another key, for tests). */
export function mintSessionToken(o: MintOptions): string {
  if (!devAuthAllowed()) throw new Error("development tokens are refused when NODE_ENV=production");
  const now = o.now ?? Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = {
    azp: process.env.APP_URL ?? "http://localhost:3000",
    exp: now + (o.ttlSeconds ?? 30 * 24 * 3600),
    iat: now - 5,
    nbf: now - 5,
    iss: keys.issuer,
    sid: "sess_" + randomUUID().replace(/-/g, ""),
    sub: o.userId,
    v: 2,
    sts: "active",
    plan: o.plan ?? "free",
  };
  if (o.orgId) payload.o = { id: o.orgId, rol: "admin", slg: o.orgId.toLowerCase() };
  const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const data = `${b64({ alg: "RS256", typ: "JWT", kid: "ins_revwatch_dev" })}.${b64(payload)}`;
  const sig = createSign("RSA-SHA256").update(data).sign(o.privateKey ?? keys.jwtPrivateKey, "base64url");
  return `${data}.${sig}`;
}

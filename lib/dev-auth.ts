import { createSign, randomUUID } from "node:crypto";
import { devToolsAllowed, env } from "@/lib/env";
import type { Plan } from "@/lib/plans";
import type { Role } from "@/lib/roles";
import identity from "./dev-identity.json" with { type: "json" };
import privateKeys from "./dev-auth-keys.json" with { type: "json" };

// Development-only identity: a committed RSA key pair and a pk_live_-form publishable key for a host
// that does not exist. Clerk's real middleware verifies tokens signed by this key offline (jwtKey),
// so local sign-in and tests exercise the same code path as production. Refused in production, and
// imported only by the local sign-in action, `npm run token` and tests (ESLint enforces it).

export type MintOptions = {
  userId: string;
  orgId?: string;
  plan?: Plan;
  /** the organization role (with orgId); default admin */
  orgRole?: Role;
  ttlSeconds?: number;
  now?: number;
  privateKey?: string;
  /** claims to override or add (tests: a foreign iss or azp) */
  claims?: Record<string, unknown>;
};

/** A Clerk session token (v2 claims) signed with the development key (or another key, for tests). */
export function mintSessionToken(o: MintOptions): string {
  if (!devToolsAllowed()) throw new Error("development tokens are refused when NODE_ENV=production");
  const now = o.now ?? Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = {
    azp: new URL(env().APP_URL).origin,
    exp: now + (o.ttlSeconds ?? 30 * 24 * 3600),
    iat: now - 5,
    nbf: now - 5,
    iss: identity.issuer,
    sid: "sess_" + randomUUID().replace(/-/g, ""),
    sub: o.userId,
    v: 2,
    sts: "active",
    plan: o.plan ?? "free",
  };
  if (o.orgId) payload.o = { id: o.orgId, rol: o.orgRole ?? "admin", slg: o.orgId.toLowerCase() };
  Object.assign(payload, o.claims);
  const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const data = `${b64({ alg: "RS256", typ: "JWT", kid: "ins_revwatch_dev" })}.${b64(payload)}`;
  const sig = createSign("RSA-SHA256").update(data).sign(o.privateKey ?? privateKeys.jwtPrivateKey, "base64url");
  return `${data}.${sig}`;
}

import "server-only";
import { auth } from "@clerk/nextjs/server";
import { env } from "@/lib/env";
import { asPlan, isPlan, type Plan } from "@/lib/plans";
import { asRole, type Role } from "@/lib/roles";

export { planAtLeast } from "@/lib/plans";

export type Tenant = {
  /** ownerId on every row: the active organization, else the user. */
  ownerId: string;
  userId: string;
  orgId: string | null;
  plan: Plan;
  /** The organization role; the owner of a personal workspace is its admin. */
  role: Role;
};

/**
 * The instance's issuer: Clerk signs session tokens with iss = its Frontend API URL, which the
 * publishable key encodes ("pk_live_" + base64("clerk.example.com$")). Null without a key.
 */
export function clerkIssuer(publishableKey = env().NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY): string | null {
  const encoded = publishableKey?.match(/^pk_(?:live|test)_(.+)$/)?.[1];
  if (!encoded) return null;
  const host = Buffer.from(encoded, "base64").toString("utf8").replace(/\$$/, "");
  return /^[a-z0-9.-]+(:\d+)?$/i.test(host) ? `https://${host}` : null;
}

export type TokenVerificationOptions = { jwtKey: string | undefined; authorizedParties: string[]; issuer?: string; toJSON: () => object };
let verification: { for: object; options: TokenVerificationOptions } | undefined;

/**
 * What clerkMiddleware verifies beyond the signature: a token signed by the right key but issued by
 * another instance (iss) or for another site (azp, the origin the browser session belongs to) is refused.
 * Built once per environment read. Per request, clerkMiddleware also AES-encrypts these options
 * (JSON.stringify) into a header that every auth() call decrypts; the handlers never use them (they read
 * the already verified token), and with the ~450-byte PEM key that pure-JS encryption cost ~2 ms of CPU
 * per request. toJSON keeps the key out of that header: verification still uses jwtKey on every request.
 */
export function tokenVerificationOptions(): TokenVerificationOptions {
  if (verification?.for === env()) return verification.options;
  const issuer = clerkIssuer();
  const options = {
    jwtKey: env().CLERK_JWT_KEY,
    authorizedParties: [new URL(env().APP_URL).origin],
    ...(issuer ? { issuer } : {}),
    toJSON: () => ({}),
  };
  verification = { for: env(), options };
  return options;
}

/** The signed-in tenant, or null. Reads what clerkMiddleware verified for this request. */
export async function currentTenant(): Promise<Tenant | null> {
  const a = await auth();
  if (!a.userId) return null;
  const claims = (a.sessionClaims ?? {}) as Record<string, unknown>;
  const plan = asPlan(claims.plan);
  // Clerk reads the role from `o.rol` (v2) or `org_role` (v1); the claims are the fallback for either.
  const orgClaim = (claims.o ?? {}) as { rol?: unknown };
  const role: Role = a.orgId ? asRole(a.orgRole ?? orgClaim.rol ?? claims.org_role) : "admin";
  // Loaded on first use: the database client must not load (and read the environment) with this module.
  // Only a plan the token names is stored: a token without one (or with an unknown one) reads as free
  // for this request, but must not demote the workspace the daily prune caps by it.
  if (isPlan(claims.plan)) {
    const { notePlanSeen } = await import("@/lib/workspace/plan-seen");
    await notePlanSeen(a.orgId ?? a.userId, plan);
  }
  return { ownerId: a.orgId ?? a.userId, userId: a.userId, orgId: a.orgId ?? null, plan, role };
}

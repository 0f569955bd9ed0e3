import "server-only";
import { auth } from "@clerk/nextjs/server";
import { env } from "@/lib/env";
import { asPlan, type Plan } from "@/lib/plans";

export { planAtLeast } from "@/lib/plans";

export type Tenant = {
  /** ownerId on every row: the active organization, else the user. */
  ownerId: string;
  userId: string;
  orgId: string | null;
  plan: Plan;
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

/**
 * What clerkMiddleware verifies beyond the signature: a token signed by the right key but issued by
 * another instance (iss) or for another site (azp, the origin the browser session belongs to) is refused.
 */
export function tokenVerificationOptions() {
  const issuer = clerkIssuer();
  return {
    jwtKey: env().CLERK_JWT_KEY,
    authorizedParties: [new URL(env().APP_URL).origin],
    ...(issuer ? { issuer } : {}),
  };
}

/** The signed-in tenant, or null. Reads what clerkMiddleware verified for this request. */
export async function currentTenant(): Promise<Tenant | null> {
  const a = await auth();
  if (!a.userId) return null;
  const plan = asPlan((a.sessionClaims as Record<string, unknown> | null)?.plan);
  return { ownerId: a.orgId ?? a.userId, userId: a.userId, orgId: a.orgId ?? null, plan };
}

import "server-only";
import { auth } from "@clerk/nextjs/server";
import { asPlan, type Plan } from "@/lib/plans";

export { planAtLeast } from "@/lib/plans";

export type Tenant = {
  /** ownerId on every row: the active organization, else the user. */
  ownerId: string;
  userId: string;
  orgId: string | null;
  plan: Plan;
};

/** The signed-in tenant, or null. Reads what clerkMiddleware verified for this request. */
export async function currentTenant(): Promise<Tenant | null> {
  const a = await auth();
  if (!a.userId) return null;
  const plan = asPlan((a.sessionClaims as Record<string, unknown> | null)?.plan);
  return { ownerId: a.orgId ?? a.userId, userId: a.userId, orgId: a.orgId ?? null, plan };
}

import { auth } from "@clerk/nextjs/server";
import { PLANS, type Plan } from "@/lib/dev-auth";

export type Tenant = {
  /** ownerId on every row: the active organization, else the user. */
  ownerId: string;
  userId: string;
  orgId: string | null;
  plan: Plan;
};

const PLAN_RANK: Record<Plan, number> = { free: 0, team: 1, business: 2 };

export function planAtLeast(plan: Plan, needed: Plan): boolean {
  return PLAN_RANK[plan] >= PLAN_RANK[needed];
}

/** The signed-in tenant, or null. Reads what clerkMiddleware verified for this request. */
export async function currentTenant(): Promise<Tenant | null> {
  const a = await auth();
  if (!a.userId) return null;
  const claim = (a.sessionClaims as Record<string, unknown> | null)?.plan;
  const plan = PLANS.includes(claim as Plan) ? (claim as Plan) : "free";
  return { ownerId: a.orgId ?? a.userId, userId: a.userId, orgId: a.orgId ?? null, plan };
}

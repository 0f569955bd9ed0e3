// Plans come from the session claim `plan`; anything else reads as free.
export type Plan = "free" | "team" | "business";
export const PLANS = ["free", "team", "business"] as const satisfies readonly Plan[];

const PLAN_RANK: Record<Plan, number> = { free: 0, team: 1, business: 2 };

export function planAtLeast(plan: Plan, needed: Plan): boolean {
  return PLAN_RANK[plan] >= PLAN_RANK[needed];
}

export const asPlan = (claim: unknown): Plan => ((PLANS as readonly unknown[]).includes(claim) ? (claim as Plan) : "free");

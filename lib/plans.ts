// Plans come from the session claim `plan`; anything else reads as free.
export type Plan = "free" | "team" | "business";
export const PLANS = ["free", "team", "business"] as const satisfies readonly Plan[];

const PLAN_RANK: Record<Plan, number> = { free: 0, team: 1, business: 2 };

export function planAtLeast(plan: Plan, needed: Plan): boolean {
  return PLAN_RANK[plan] >= PLAN_RANK[needed];
}

export const isPlan = (claim: unknown): claim is Plan => (PLANS as readonly unknown[]).includes(claim);
export const asPlan = (claim: unknown): Plan => (isPlan(claim) ? claim : "free");

/** What each plan allows (GET /api/workspace shows them; creates and edits beyond them are 402). */
export type PlanLimits = { maxSchedules: number; minIntervalMinutes: number; maxRunRetentionDays: number };
export const PLAN_LIMITS: Record<Plan, PlanLimits> = {
  free: { maxSchedules: 0, minIntervalMinutes: 15, maxRunRetentionDays: 30 },
  team: { maxSchedules: 20, minIntervalMinutes: 15, maxRunRetentionDays: 180 },
  business: { maxSchedules: 200, minIntervalMinutes: 1, maxRunRetentionDays: 730 },
};

/** Run history is kept this long unless the workspace chose less (always capped by the plan). */
export const DEFAULT_RUN_RETENTION_DAYS = 180;
/**
 * The run retention the daily prune applies: the workspace's setting (or the default), at most what its
 * plan allows. `plan` null: no session has shown the plan yet, so nothing caps it.
 */
export function effectiveRunRetentionDays(setting: number | null | undefined, plan: Plan | null): number {
  const days = setting ?? DEFAULT_RUN_RETENTION_DAYS;
  return plan ? Math.min(days, PLAN_LIMITS[plan].maxRunRetentionDays) : days;
}
/** The shortest run retention a workspace may set (the monitoring windows look back this far). */
export const MIN_RUN_RETENTION_DAYS = 30;
/** Scheduler ticks (platform rows) are kept this long. */
export const TICK_RETENTION_DAYS = 30;

/** One line a page shows under the plan badge. */
export function describeLimits(plan: Plan): string {
  const l = PLAN_LIMITS[plan];
  if (l.maxSchedules === 0) return `The ${plan} plan includes no schedules; the Team plan allows ${PLAN_LIMITS.team.maxSchedules}`;
  const every = l.minIntervalMinutes === 1 ? "every minute" : `every ${l.minIntervalMinutes} minutes`;
  return `The ${plan} plan allows ${l.maxSchedules} schedules, running at most ${every}, with ${l.maxRunRetentionDays} days of run history`;
}

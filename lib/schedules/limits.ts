import "server-only";
import type { Tenant } from "@/lib/auth";
import type { TenantTx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { PLAN_LIMITS, planAtLeast } from "@/lib/plans";
import { shortestIntervalMinutes } from "@/lib/schedules/time";

// Plan limits on schedules (issue #17): how many a workspace may have and how often one may run.
// Errors carry the limit so API clients and the form can say what the plan allows.

export function requirePlan(tenant: Tenant, action: string) {
  if (!planAtLeast(tenant.plan, "team"))
    throw new AppError("plan_required", `${action} needs the Team plan or higher (current plan: ${tenant.plan}, which includes ${PLAN_LIMITS[tenant.plan].maxSchedules} schedules)`, {
      plan: tenant.plan, limit: PLAN_LIMITS[tenant.plan].maxSchedules,
    });
}

/** A cron that runs more often than the plan's minimum interval is refused (402 plan_limit). */
export function requireInterval(tenant: Tenant, cron: string, timezone: string) {
  const min = PLAN_LIMITS[tenant.plan].minIntervalMinutes;
  const shortest = shortestIntervalMinutes(cron, timezone);
  if (shortest !== null && shortest < min)
    throw new AppError("plan_limit", `The ${tenant.plan} plan runs a schedule at most every ${min} minutes; this one runs every ${shortest}`, {
      plan: tenant.plan, limit: "min_interval_minutes", min_interval_minutes: min, current: shortest,
    });
}

/**
 * Room for one more schedule. Takes a per-workspace transaction lock first, so two concurrent creates
 * cannot both see the last free place.
 */
export async function requireScheduleRoom(tenant: Tenant, tx: TenantTx) {
  const max = PLAN_LIMITS[tenant.plan].maxSchedules;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`schedules:${tenant.ownerId}`}))`;
  const current = await tx.scheduledReview.count();
  if (current >= max)
    throw new AppError("plan_limit", `The ${tenant.plan} plan allows ${max} schedules per workspace; this workspace has ${current}`, {
      plan: tenant.plan, limit: "max_schedules", max_schedules: max, current,
    });
}

import "server-only";
import type { Tenant } from "@/lib/auth";
import { recordAudit } from "@/lib/audit/record";
import { forTenant, SHORT_TX } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { effectiveRunRetentionDays, PLAN_LIMITS, TICK_RETENTION_DAYS } from "@/lib/plans";
import type { UpdateWorkspaceInput, WorkspaceDto } from "@/lib/workspace/schemas";

// The workspace (organization, or a user's own): its plan's limits, usage and retention.

export async function getWorkspace(tenant: Tenant): Promise<WorkspaceDto> {
  const db = forTenant(tenant.ownerId);
  const [schedules, settings] = await Promise.all([db.scheduledReview.count(), db.workspaceSettings.findFirst()]);
  const l = PLAN_LIMITS[tenant.plan];
  return {
    owner_id: tenant.ownerId,
    plan: tenant.plan,
    role: tenant.role,
    limits: { max_schedules: l.maxSchedules, min_interval_minutes: l.minIntervalMinutes, max_run_retention_days: l.maxRunRetentionDays },
    usage: { schedules },
    // What the daily prune uses: the setting (or the default), capped by the plan (stored as last seen).
    run_retention_days: effectiveRunRetentionDays(settings?.runRetentionDays, tenant.plan),
    tick_retention_days: TICK_RETENTION_DAYS,
  };
}

/** Sets the run retention, at most what the plan allows (402 plan_limit beyond it). */
export async function updateWorkspace(tenant: Tenant, input: UpdateWorkspaceInput): Promise<WorkspaceDto> {
  const max = PLAN_LIMITS[tenant.plan].maxRunRetentionDays;
  if (input.run_retention_days > max)
    throw new AppError("plan_limit", `The ${tenant.plan} plan keeps run history for at most ${max} days`, {
      plan: tenant.plan, limit: "max_run_retention_days", max_run_retention_days: max, current: input.run_retention_days,
    });
  await forTenant(tenant.ownerId).$transaction(async (tx) => {
    const days = input.run_retention_days;
    await tx.workspaceSettings.upsert({ where: { ownerId: tenant.ownerId }, create: { ownerId: tenant.ownerId, runRetentionDays: days }, update: { runRetentionDays: days } });
    await recordAudit(tx, {
      ownerId: tenant.ownerId, actorId: tenant.userId, action: "workspace.settings_updated", targetType: "workspace", targetId: tenant.ownerId,
      summary: `Set run history retention to ${days} days`, details: { run_retention_days: days },
    });
  }, SHORT_TX);
  return getWorkspace(tenant);
}

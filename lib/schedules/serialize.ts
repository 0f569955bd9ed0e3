import { readScanScope } from "@/lib/crm/scope";
import { iso, lower } from "@/lib/format";
import type { Prisma, RunStatus } from "@/lib/generated/prisma/client";
import { resolveRuleSettings } from "@/lib/reviews/types";
import type { ScheduleDto } from "@/lib/schedules/schemas";
import { describeCronCached, nextRunsCached } from "@/lib/schedules/time-cache";

/** What every schedule read loads with it: the connection's label. The latest run comes from lastRuns(). */
export const scheduleInclude = {
  crmConnection: { select: { id: true, name: true, provider: true } },
} as const satisfies Prisma.ScheduledReviewInclude;

export type ScheduleRow = Prisma.ScheduledReviewGetPayload<{ include: typeof scheduleInclude }>;
export type LastRun = { id: string; status: RunStatus; completedAt: Date | null; healthScore: number | null };

export const NEXT_RUNS_PREVIEW = 5;

function scanScopeDto(stored: Prisma.JsonValue) {
  const s = readScanScope(stored);
  return { pipeline_ids: s.pipelineIds, stage_ids: s.stageIds, owner_ids: s.ownerIds, min_amount: s.minAmount };
}

/** The one place a schedule becomes public JSON. The webhook only ever leaves masked. */
export function serializeSchedule(row: ScheduleRow, last: LastRun | null, now = new Date()): ScheduleDto {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    crm_connection_id: row.crmConnectionId,
    crm_connection: { id: row.crmConnection.id, name: row.crmConnection.name, provider: lower(row.crmConnection.provider) },
    schedule: row.cron,
    schedule_description: describeCronCached(row.cron),
    timezone: row.timezone,
    delivery_channels: row.deliveryChannels.map(lower),
    email_recipients: row.emailRecipients,
    slack_webhook_url: row.slackWebhookMasked,
    is_active: row.isActive,
    catch_up_policy: lower(row.catchUpPolicy),
    catch_up_window_minutes: row.catchUpWindowMinutes,
    overlap_policy: lower(row.overlapPolicy),
    missed_slots: row.missedSlotCount,
    auto_pause_after_failures: row.autoPauseAfterFailures,
    pause: row.isActive
      ? null
      : { note: row.pauseNote, paused_by: row.pausedBy, paused_at: iso(row.pausedAt), resume_at: iso(row.resumeAt) },
    rules: { ...resolveRuleSettings(row.ruleSettings) },
    scan_scope: scanScopeDto(row.scanScope),
    last_run_at: iso(row.lastRunAt),
    next_run_at: iso(row.nextRunAt),
    // An inactive schedule has no upcoming runs; the form's preview endpoint shows "what if".
    next_runs: row.isActive ? nextRunsCached(row.cron, row.timezone, now, NEXT_RUNS_PREVIEW) : [],
    last_run: last
      ? { id: last.id, status: lower(last.status), completed_at: iso(last.completedAt), health_score: last.healthScore }
      : null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

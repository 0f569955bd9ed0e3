import type { Tenant } from "@/lib/auth";
import { recordAudit } from "@/lib/audit/record";
import { checkScanScope } from "@/lib/crm/check";
import { readScanScope } from "@/lib/crm/scope";
import { findConnection } from "@/lib/crm/connections";
import { encrypt, maskUrl } from "@/lib/crypto";
import { forTenant, Prisma, SHORT_TX, type TenantTx } from "@/lib/db";
import { AppError, notFound } from "@/lib/errors";
import { upper } from "@/lib/format";
import {
  channelRulesSchema,
  type CreateScheduleInput,
  type PreviewDto,
  type PreviewQuery,
  type ScheduleDto,
  type UpdateScheduleInput,
} from "@/lib/schedules/schemas";
import { requireInterval, requirePlan, requireScheduleRoom } from "@/lib/schedules/limits";
import { effectivePatch, isEmptyPatch, pauseColumns, pauseGuard, updateAudit } from "@/lib/schedules/pause";
import { lastRuns } from "@/lib/schedules/last-run";
import { scheduleInclude, serializeSchedule } from "@/lib/schedules/serialize";
import { describeCron, frequencySchema, frequencyToCron, isFixedTime, nextRunAfter, nextRuns, type Frequency } from "@/lib/schedules/time";

// The scheduled-review resource. Every query goes through forTenant: another tenant's schedule or
// connection is indistinguishable from a missing one (404). Validation happens before any write.

const scheduleNotFound = () => notFound("Scheduled review");

async function requireConnection(ownerId: string, id: string) {
  if (!(await findConnection(ownerId, id))) throw notFound("CRM connection");
}

function cronOf(input: { schedule?: string; frequency?: Frequency }): string | undefined {
  return input.schedule ?? (input.frequency ? frequencyToCron(input.frequency) : undefined);
}

/** Encrypted for the deliverer, masked for every reader; null clears both. */
function webhookColumns(url: string | null) {
  return { slackWebhookEncrypted: url ? encrypt(url) : null, slackWebhookMasked: url ? maskUrl(url) : null };
}

const toJson = (rules: object) => rules as Prisma.InputJsonObject;

export async function getSchedule(ownerId: string, id: string): Promise<ScheduleDto> {
  const row = await forTenant(ownerId).scheduledReview.findFirst({ where: { id }, include: scheduleInclude });
  if (!row) throw scheduleNotFound();
  const last = await lastRuns(forTenant(ownerId), ownerId, [id]);
  return serializeSchedule(row, last.get(id) ?? null);
}

/**
 * A new schedule's scan scope names only the connection's own pipelines, stages and owners (read live
 * from the CRM). Checked before the create, outside its transaction: the embedded database has one
 * session, and the CRM read uses the database too (tokens).
 */
export async function checkNewScheduleScope(ownerId: string, input: Pick<CreateScheduleInput, "crm_connection_id" | "scan_scope">): Promise<void> {
  await checkScanScope(ownerId, input.crm_connection_id, readScanScope(input.scan_scope));
}

/**
 * `db`: the transaction the create (with its audit row) runs in: the idempotent create's
 * (lib/schedules/idempotency.ts), else one of its own. Every query goes through `db`: a query on another
 * connection while the transaction is open would wait for it forever on the embedded database (one
 * session, held by the transaction).
 */
export async function createSchedule(tenant: Tenant, input: CreateScheduleInput, db?: TenantTx): Promise<ScheduleDto> {
  if (!db) return forTenant(tenant.ownerId).$transaction((tx) => createSchedule(tenant, input, tx), SHORT_TX);
  requirePlan(tenant, "Creating a scheduled review");
  const cron = cronOf(input);
  if (!cron) throw new AppError("validation_error", "Give either schedule (5-field cron) or frequency");
  requireInterval(tenant, cron, input.timezone);
  // KEY SHARE on the connection until this commits: a concurrent delete (FOR UPDATE) either waits and then
  // sees this schedule, or went first and this finds no connection (404, never an FK error).
  const connection = await db.$queryRaw<{ id: string }[]>`
    SELECT id FROM "CrmConnection" WHERE id = ${input.crm_connection_id} AND "ownerId" = ${tenant.ownerId} FOR KEY SHARE`;
  if (!connection.length) throw notFound("CRM connection");
  await requireScheduleRoom(tenant, db);
  const row = await db.scheduledReview.create({
    data: {
      ownerId: tenant.ownerId,
      name: input.name,
      description: input.description ?? null,
      crmConnectionId: input.crm_connection_id,
      cron,
      timezone: input.timezone,
      deliveryChannels: input.delivery_channels.map(upper),
      emailRecipients: input.email_recipients,
      ...webhookColumns(input.slack_webhook_url ?? null),
      isActive: input.is_active,
      nextRunAt: input.is_active ? nextRunAfter(cron, input.timezone, new Date()) : null,
      catchUpPolicy: upper(input.catch_up_policy),
      catchUpWindowMinutes: input.catch_up_window_minutes,
      overlapPolicy: upper(input.overlap_policy),
      ruleSettings: toJson(input.rules),
      scanScope: toJson(input.scan_scope),
      autoPauseAfterFailures: input.auto_pause_after_failures,
    },
    include: scheduleInclude,
  });
  await recordAudit(db, {
    ownerId: tenant.ownerId, actorId: tenant.userId, action: "schedule.created", targetType: "schedule", targetId: row.id, scheduleId: row.id,
    summary: `Created "${row.name}" (${cron}, ${row.timezone})`,
  });
  return serializeSchedule(row, null); // a new schedule has no runs
}

/**
 * Partial update. The channel rules are re-checked on the merged result, and next_run_at is
 * recomputed only when the cron, zone or activity really changes, so an unrelated edit never
 * moves (or skips) a slot the dispatcher is about to pick up. `rules` replaces the stored settings.
 */
export async function updateSchedule(tenant: Tenant, id: string, input: UpdateScheduleInput): Promise<ScheduleDto> {
  if (input.scan_scope !== undefined) {
    const current = await forTenant(tenant.ownerId).scheduledReview.findFirst({ where: { id }, select: { crmConnectionId: true } });
    if (!current) throw scheduleNotFound();
    await checkScanScope(tenant.ownerId, input.crm_connection_id ?? current.crmConnectionId, readScanScope(input.scan_scope));
  }
  // Field-level optimistic concurrency: the write lands only if the fields this PATCH writes or
  // checks are still as read, so concurrent PATCHes of different fields merge, and one that raced a
  // change of its own fields is re-read and re-checked (409 only if that keeps happening).
  for (let attempt = 0; attempt < 3; attempt++) {
    const result = await updateIfUnchanged(tenant, id, input);
    if (result) return result;
  }
  throw new AppError("conflict", "The schedule changed while it was being updated; try again");
}

/** `scan_scope` replaces the stored one; moving to another connection without one reads all its open deals. */
function scanScopeUpdate(input: UpdateScheduleInput, current: Row): Prisma.InputJsonObject | undefined {
  if (input.scan_scope !== undefined) return toJson(input.scan_scope);
  if (input.crm_connection_id !== undefined && input.crm_connection_id !== current.crmConnectionId) return {};
  return undefined;
}

type Row = NonNullable<Awaited<ReturnType<ReturnType<typeof forTenant>["scheduledReview"]["findFirst"]>>>;

/** The stored fields a PATCH depends on, per group of input fields it touches. */
function guardFor(input: UpdateScheduleInput, current: Row): Prisma.ScheduledReviewWhereInput {
  const timing = cronOf(input) !== undefined || input.timezone !== undefined || input.is_active !== undefined;
  const channels = input.delivery_channels !== undefined || input.email_recipients !== undefined || input.slack_webhook_url !== undefined;
  return {
    ...(input.name !== undefined ? { name: current.name } : {}),
    ...(input.description !== undefined ? { description: current.description } : {}),
    ...(input.crm_connection_id !== undefined ? { crmConnectionId: current.crmConnectionId } : {}),
    ...(timing ? { cron: current.cron, timezone: current.timezone, isActive: current.isActive } : {}),
    ...(channels
      ? { deliveryChannels: { equals: current.deliveryChannels }, emailRecipients: { equals: current.emailRecipients }, slackWebhookMasked: current.slackWebhookMasked }
      : {}),
    ...(input.catch_up_policy !== undefined ? { catchUpPolicy: current.catchUpPolicy } : {}),
    ...(input.catch_up_window_minutes !== undefined ? { catchUpWindowMinutes: current.catchUpWindowMinutes } : {}),
    ...(input.overlap_policy !== undefined ? { overlapPolicy: current.overlapPolicy } : {}),
    ...(input.rules !== undefined ? { ruleSettings: { equals: current.ruleSettings as Prisma.InputJsonValue } } : {}),
    ...(input.scan_scope !== undefined || input.crm_connection_id !== undefined
      ? { scanScope: { equals: current.scanScope as Prisma.InputJsonValue }, crmConnectionId: current.crmConnectionId }
      : {}),
    ...(input.auto_pause_after_failures !== undefined ? { autoPauseAfterFailures: current.autoPauseAfterFailures } : {}),
    ...pauseGuard(input, current),
  };
}

async function updateIfUnchanged(tenant: Tenant, id: string, given: UpdateScheduleInput): Promise<ScheduleDto | null> {
  const tenantDb = forTenant(tenant.ownerId);
  const current = await tenantDb.scheduledReview.findFirst({ where: { id } });
  if (!current) throw scheduleNotFound();
  const input = effectivePatch(given, current);
  if (isEmptyPatch(input)) return getSchedule(tenant.ownerId, id); // nothing to write: no update, no audit row

  const isActive = input.is_active ?? current.isActive;
  if (isActive && !current.isActive) requirePlan(tenant, "Activating a scheduled review");
  const now = new Date();
  const pause = pauseColumns(tenant, input, current, now);
  if (input.crm_connection_id !== undefined && input.crm_connection_id !== current.crmConnectionId)
    await requireConnection(tenant.ownerId, input.crm_connection_id);
  channelRulesSchema.parse({
    delivery_channels: input.delivery_channels ?? current.deliveryChannels.map((c) => c.toLowerCase()),
    email_recipients: input.email_recipients ?? current.emailRecipients,
    slack_webhook_url: input.slack_webhook_url === undefined ? current.slackWebhookMasked : input.slack_webhook_url,
  });

  const cron = cronOf(input) ?? current.cron;
  const timezone = input.timezone ?? current.timezone;
  if (cron !== current.cron || timezone !== current.timezone) requireInterval(tenant, cron, timezone);
  const timingChanged = cron !== current.cron || timezone !== current.timezone || isActive !== current.isActive;
  try {
    // Only the fields given are written: writing unchanged ones back would undo a concurrent PATCH.
    return await tenantDb.$transaction(async (tx) => {
    const row = await tx.scheduledReview.update({
      where: { id, AND: [guardFor(input, current)] },
      data: {
        name: input.name,
        description: input.description,
        crmConnectionId: input.crm_connection_id,
        cron: cronOf(input),
        timezone: input.timezone,
        deliveryChannels: input.delivery_channels?.map(upper),
        emailRecipients: input.email_recipients,
        ...(input.slack_webhook_url === undefined ? {} : webhookColumns(input.slack_webhook_url)),
        isActive: input.is_active,
        ...(timingChanged ? { nextRunAt: isActive ? nextRunAfter(cron, timezone, now) : null, timingChangedAt: now } : {}),
        catchUpPolicy: input.catch_up_policy && upper(input.catch_up_policy),
        catchUpWindowMinutes: input.catch_up_window_minutes,
        overlapPolicy: input.overlap_policy && upper(input.overlap_policy),
        ruleSettings: input.rules && toJson(input.rules),
        scanScope: scanScopeUpdate(input, current),
        autoPauseAfterFailures: input.auto_pause_after_failures,
        ...pause,
      },
      include: scheduleInclude,
    });
    await recordAudit(tx, updateAudit(tenant, input, current, row));
    const last = await lastRuns(tx, tenant.ownerId, [id]);
    return serializeSchedule(row, last.get(id) ?? null);
    }, SHORT_TX);
  } catch (err) {
    // Its fields changed (read again) or the schedule was deleted (404 on the next read) meanwhile.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2025") return null;
    throw err;
  }
}

/**
 * Deleting a schedule deletes its history with it, in one transaction: runs and their deliveries
 * (FK cascade) and the analyses/findings those runs produced (no FK to the schedule, so explicit).
 * Alerts survive, detached (FK set null), so the alert log stays complete. A run still executing
 * loses its row; the review function has to treat that as the end of the run.
 */
export async function deleteSchedule(tenant: Tenant, id: string): Promise<void> {
  await forTenant(tenant.ownerId).$transaction(async (tx) => {
    const found = await tx.scheduledReview.findFirst({ where: { id }, select: { id: true, name: true } });
    if (!found) throw scheduleNotFound();
    await recordAudit(tx, {
      ownerId: tenant.ownerId, actorId: tenant.userId, action: "schedule.deleted", targetType: "schedule", targetId: id, scheduleId: id,
      summary: `Deleted "${found.name}" with its run history`,
    });
    // Schedule first (cascading to its runs, after any analysis being stored holds the run row), then
    // the analyses: the same lock order as storeAnalysis, and this statement sees one it just committed.
    await tx.scheduledReview.delete({ where: { id } });
    await tx.analysis.deleteMany({ where: { scheduledReviewId: id } });
  }, SHORT_TX);
}

/** The form's live preview: the next runs of a cron (or a preset) in a zone, from now. */
export function previewSchedule(query: PreviewQuery): PreviewDto {
  const cron =
    query.schedule ?? frequencyToCron(frequencySchema.parse({ every: query.every, time: query.time, day_of_week: query.day_of_week }));
  return {
    schedule: cron,
    schedule_description: describeCron(cron),
    timezone: query.timezone,
    fixed_time: isFixedTime(cron),
    next_runs: nextRuns(cron, query.timezone, new Date(), query.count),
  };
}

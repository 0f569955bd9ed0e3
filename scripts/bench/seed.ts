// Seed data generated inside the database (generate_series), so a million rows take seconds, not
// minutes: the bench of record (scripts/bench.ts) and the query-plan test use the same shapes.
/** Prisma's $executeRawUnsafe, or a pg client wrapped as one. */
type Db = { $executeRawUnsafe: (sql: string) => Promise<unknown> };
const q = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** A tenant's Demo CRM connection and one schedule, with fixed ids. */
export async function seedSchedule(db: Db, { ownerId, scheduleId, active = true }: { ownerId: string; scheduleId: string; active?: boolean }) {
  await db.$executeRawUnsafe(`
    INSERT INTO "CrmConnection" (id, "ownerId", provider, name, "instanceUrl", "updatedAt")
    VALUES (${q(`conn_${scheduleId}`)}, ${q(ownerId)}, 'DEMO', 'Demo CRM', 'demo://?seed=42&size=120', now())
    ON CONFLICT DO NOTHING`);
  await db.$executeRawUnsafe(`
    INSERT INTO "ScheduledReview" (id, "ownerId", name, "crmConnectionId", cron, timezone, "deliveryChannels", "emailRecipients", "isActive", "nextRunAt", "updatedAt")
    VALUES (${q(scheduleId)}, ${q(ownerId)}, 'Pipeline review', ${q(`conn_${scheduleId}`)}, '0 6 * * *', 'UTC', '{}', '{}', ${active}, now() + interval '1 day', now())
    ON CONFLICT DO NOTHING`);
}

/**
 * `count` finished runs under one schedule, one a minute back from now (newest first), mostly
 * COMPLETED with some FAILED and SKIPPED, and a delivery for every `deliveryEvery`-th run.
 */
export async function seedRunHistory(db: Db, { ownerId, scheduleId, count, deliveryEvery = 100 }: { ownerId: string; scheduleId: string; count: number; deliveryEvery?: number }) {
  await db.$executeRawUnsafe(`
    INSERT INTO "ReviewRun" (id, "scheduledReviewId", "ownerId", trigger, "scheduledFor", status, "queuedAt", "startedAt", "completedAt",
                             "durationMs", "dealsAnalyzed", "healthScore", "issuesFound", "highRiskDeals", "createdAt", "updatedAt")
    SELECT ${q(`run_${scheduleId}_`)} || i, ${q(scheduleId)}, ${q(ownerId)}, 'SCHEDULED', t, s::"RunStatus", t, t, t + interval '2 seconds',
           2000, 120, 40 + i % 60, i % 90, i % 7, t, t
    FROM generate_series(1, ${count}) AS i,
         LATERAL (SELECT date_trunc('minute', now()) - i * interval '1 minute' AS t,
                         CASE WHEN i % 50 = 0 THEN 'FAILED' WHEN i % 77 = 0 THEN 'SKIPPED' ELSE 'COMPLETED' END AS s) x`);
  await db.$executeRawUnsafe(`
    INSERT INTO "Delivery" (id, "runId", "ownerId", channel, target, status, "idempotencyKey", attempts, payload, "sentAt", "createdAt", "updatedAt")
    SELECT 'dlv_' || r.id, r.id, r."ownerId", 'EMAIL', 'ops@example.com', 'SENT', 'key_' || r.id, 1,
           jsonb_build_object('subject', 'Pipeline review', 'html', repeat('x', 6000)), r."completedAt", r."completedAt", r."completedAt"
    FROM "ReviewRun" r
    WHERE r."scheduledReviewId" = ${q(scheduleId)} AND (substr(r.id, length(${q(`run_${scheduleId}_`)}) + 1))::int % ${deliveryEvery} = 0`);
  await db.$executeRawUnsafe(`ANALYZE "ReviewRun"`);
  await db.$executeRawUnsafe(`ANALYZE "Delivery"`);
}

/** `count` more schedules for `ownerId` (one connection), one a minute apart going back from now. */
export async function seedManySchedules(db: Db, { ownerId, prefix, count }: { ownerId: string; prefix: string; count: number }) {
  await db.$executeRawUnsafe(`
    INSERT INTO "CrmConnection" (id, "ownerId", provider, name, "instanceUrl", "updatedAt")
    VALUES (${q(`conn_${prefix}`)}, ${q(ownerId)}, 'DEMO', 'Demo CRM', 'demo://?seed=42&size=120', now()) ON CONFLICT DO NOTHING`);
  await db.$executeRawUnsafe(`
    INSERT INTO "ScheduledReview" (id, "ownerId", name, "crmConnectionId", cron, timezone, "deliveryChannels", "emailRecipients", "isActive", "nextRunAt", "createdAt", "updatedAt")
    SELECT ${q(prefix)} || i, ${q(ownerId)}, 'Review ' || i, ${q(`conn_${prefix}`)}, '0 6 * * *', 'UTC', '{}', '{}', i % 10 <> 0,
           now() + i * interval '1 second', now() - i * interval '1 minute', now()
    FROM generate_series(1, ${count}) AS i`);
  await db.$executeRawUnsafe(`ANALYZE "ScheduledReview"`);
}

/** An analysis of `count` findings (three rules per deal) on `runId`'s schedule. */
export async function seedFindings(db: Db, { ownerId, scheduleId, analysisId, count }: { ownerId: string; scheduleId: string; analysisId: string; count: number }) {
  await db.$executeRawUnsafe(`
    INSERT INTO "Analysis" (id, "ownerId", "scheduledReviewId", "dealsAnalyzed", "healthScore", "issuesFound", "highRiskDeals")
    VALUES (${q(analysisId)}, ${q(ownerId)}, ${q(scheduleId)}, ${Math.ceil(count / 3)}, 70, ${count}, 0)`);
  await db.$executeRawUnsafe(`
    INSERT INTO "Finding" (id, "analysisId", "dealId", "dealName", amount, stage, rule, severity, message)
    SELECT ${q(`${analysisId}_f`)} || i, ${q(analysisId)}, 'deal-' || lpad((i / 3)::text, 7, '0'), 'Deal ' || (i / 3), 1000 + i % 50000, 'qualifiedtobuy',
           (ARRAY['stale', 'no_next_step', 'no_owner'])[i % 3 + 1], (ARRAY['LOW', 'MEDIUM', 'HIGH'])[i % 3 + 1]::"Severity", 'Finding ' || i
    FROM generate_series(0, ${count - 1}) AS i`);
  await db.$executeRawUnsafe(`ANALYZE "Finding"`);
}

/** `count` audit events a minute apart, newest first; every other one about `scheduleId`. */
export async function seedAuditEvents(db: Db, { ownerId, scheduleId, count }: { ownerId: string; scheduleId: string; count: number }) {
  await db.$executeRawUnsafe(`
    INSERT INTO "AuditEvent" (id, "ownerId", "actorId", action, "targetType", "targetId", "scheduledReviewId", summary, "createdAt")
    SELECT 'aud_' || lpad(i::text, 8, '0'), ${q(ownerId)}, 'user_seed', 'schedule.updated', 'schedule', ${q(scheduleId)},
           CASE WHEN i % 2 = 0 THEN ${q(scheduleId)} END, 'Changed the schedule', now() - i * interval '1 minute'
    FROM generate_series(1, ${count}) AS i`);
  await db.$executeRawUnsafe(`ANALYZE "AuditEvent"`);
}

/** `count` resolved alerts an hour apart and, per 100, one still open (its own subject). */
export async function seedAlerts(db: Db, { ownerId, count }: { ownerId: string; count: number }) {
  await db.$executeRawUnsafe(`
    INSERT INTO "Alert" (id, "ownerId", kind, severity, status, "dedupKey", "openKey", "subjectId", title, message, "openedAt", "resolvedAt")
    SELECT 'alr_' || lpad(i::text, 8, '0'), ${q(ownerId)}, 'CONSECUTIVE_FAILURES', 'WARNING',
           CASE WHEN i % 100 = 0 THEN 'OPEN' ELSE 'RESOLVED' END::"AlertStatus", 'schedule:s' || i,
           CASE WHEN i % 100 = 0 THEN 'schedule:s' || i END, 's' || i, 'Failing', 'Three runs failed in a row',
           now() - i * interval '1 hour', CASE WHEN i % 100 = 0 THEN NULL ELSE now() - i * interval '1 hour' + interval '10 minutes' END
    FROM generate_series(1, ${count}) AS i`);
  await db.$executeRawUnsafe(`ANALYZE "Alert"`);
}

/**
 * `count` monitors, one a minute back from now (mon_000000 newest), and `executions` executions, one
 * every 10 seconds back from now: three in four go to the 50 newest monitors (a first page of busy
 * monitors, each past the 1,000-execution metrics window), the rest spread over all of them.
 */
export async function seedMonitors(db: Db, { ownerId, count, executions }: { ownerId: string; count: number; executions: number }) {
  await db.$executeRawUnsafe(`
    INSERT INTO "Monitor" (id, "ownerId", name, "ingestTokenHash", "ingestTokenMasked", "periodSeconds", "createdAt", "updatedAt")
    SELECT 'mon_' || lpad(n::text, 6, '0'), ${q(ownerId)}, 'Job ' || n, 'hash_' || ${q(ownerId)} || n, 'rwm_…', 3600,
           now() - n * interval '1 minute', now()
    FROM generate_series(0, ${count - 1}) AS n`);
  await db.$executeRawUnsafe(`
    INSERT INTO "ExecutionLog" (id, "monitorId", "ownerId", "externalId", status, "durationMs", message, "createdAt")
    SELECT 'exe_' || lpad(i::text, 8, '0'), 'mon_' || lpad((CASE WHEN i % 4 <> 0 THEN i % 50 ELSE i % ${count} END)::text, 6, '0'),
           ${q(ownerId)}, 'run-' || i,
           (CASE i % 20 WHEN 0 THEN 'FAILURE' WHEN 1 THEN 'RUNNING' WHEN 2 THEN 'PARTIAL' ELSE 'SUCCESS' END)::"ExecutionStatus",
           CASE WHEN i % 20 = 1 THEN NULL ELSE (i * 37) % 100000 END, CASE WHEN i % 20 = 0 THEN 'failed' END,
           now() - i * interval '10 seconds'
    FROM generate_series(1, ${executions}) AS i`);
  await db.$executeRawUnsafe(`ANALYZE "Monitor"`);
  await db.$executeRawUnsafe(`ANALYZE "ExecutionLog"`);
}

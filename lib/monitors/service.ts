import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { monitorAudit } from "@/lib/audit/entries";
import { recordAudit } from "@/lib/audit/record";
import { maskSecret } from "@/lib/crypto";
import { decodeCursor, encodeCursor, ownerPageSql, type CursorKey } from "@/lib/cursor";
import { forTenant, SHORT_TX } from "@/lib/db";
import { env } from "@/lib/env";
import { notFound } from "@/lib/errors";
import type { Monitor } from "@/lib/generated/prisma/client";
import { monitorWindows, type WindowSummary } from "@/lib/monitors/metrics-sql";
import type { CreateMonitor, MonitorDto, UpdateMonitor } from "@/lib/monitors/schemas";
import { monitorState, nextExpected } from "@/lib/monitors/state";

// Monitors of a tenant: create (the ingest token is shown once; only its sha256 is kept), read with
// state and metrics (lib/monitors/metrics-sql.ts), list a page, change, pause, delete.

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

function toDto(m: Monitor, { last, metrics }: WindowSummary, now: Date): MonitorDto {
  const due = m.isActive ? nextExpected(m, last) : null;
  return {
    id: m.id,
    name: m.name,
    description: m.description,
    schedule: m.scheduleCron,
    timezone: m.scheduleCron ? (m.timezone ?? "UTC") : null,
    period_seconds: m.periodSeconds,
    grace_seconds: m.graceSeconds,
    max_runtime_seconds: m.maxRuntimeSeconds,
    is_active: m.isActive,
    state: monitorState(m, last, now),
    next_expected_at: due?.toISOString() ?? null,
    ingest_url: `${env().APP_URL}/api/monitors/${m.id}/executions`,
    token_masked: m.ingestTokenMasked,
    created_at: m.createdAt.toISOString(),
    metrics,
  };
}

/** Monitors with state and metrics: the same two metric statements for one monitor or a page of them. */
async function toDtos(ownerId: string, monitors: Monitor[], now: Date): Promise<MonitorDto[]> {
  const windows = await monitorWindows(forTenant(ownerId), ownerId, monitors.map((m) => m.id), now);
  return monitors.map((m) => toDto(m, windows.get(m.id)!, now));
}

const timing = (b: CreateMonitor | UpdateMonitor) => ({
  ...(b.schedule !== undefined ? { scheduleCron: b.schedule, ...(b.schedule ? {} : { timezone: null }) } : {}),
  ...(b.timezone !== undefined ? { timezone: b.timezone } : {}),
  ...(b.period_seconds !== undefined ? { periodSeconds: b.period_seconds } : {}),
  // a schedule replaces a period and the other way round
  ...(b.schedule ? { periodSeconds: null } : {}),
  ...(b.period_seconds ? { scheduleCron: null, timezone: null } : {}),
  ...(b.grace_seconds !== undefined ? { graceSeconds: b.grace_seconds } : {}),
  ...(b.max_runtime_seconds !== undefined ? { maxRuntimeSeconds: b.max_runtime_seconds } : {}),
});

export async function createMonitor(ownerId: string, actorId: string, body: CreateMonitor, now = new Date()): Promise<MonitorDto & { ingest_token: string }> {
  const token = `rwm_${randomBytes(24).toString("base64url")}`;
  const m = await forTenant(ownerId).$transaction(async (tx) => {
    const created = await tx.monitor.create({
      data: {
        ownerId, name: body.name, description: body.description ?? null, ...timing(body),
        ...(body.schedule ? { timezone: body.timezone ?? "UTC" } : {}),
        ingestTokenHash: hashToken(token), ingestTokenMasked: maskSecret(token),
      },
    });
    await recordAudit(tx, monitorAudit(ownerId, actorId, "monitor.created", created));
    return created;
  }, SHORT_TX);
  return { ...(await toDtos(ownerId, [m], now))[0]!, ingest_token: token };
}

export const MONITOR_PAGE_DEFAULT = 50;

/** One page of a tenant's monitor keys, newest first (the row-value cursor an index condition). */
export const monitorPageSql = (ownerId: string, after: CursorKey | null, take: number) => ownerPageSql("Monitor", ownerId, after, take);

/** Keyset-paged (a page never skips or repeats a monitor): keys, rows, then the page's metrics in two statements. */
export async function listMonitors(ownerId: string, opts: { cursor?: string; limit?: number } = {}, now = new Date()): Promise<{ monitors: MonitorDto[]; next_cursor: string | null }> {
  const db = forTenant(ownerId);
  const limit = opts.limit ?? MONITOR_PAGE_DEFAULT;
  const after = opts.cursor ? decodeCursor(opts.cursor) : null;
  // Raw SQL is not scoped: the query filters by "ownerId" itself.
  const keys = await db.$queryRaw<CursorKey[]>(monitorPageSql(ownerId, after, limit + 1));
  const page = keys.slice(0, limit);
  const byId = new Map((await db.monitor.findMany({ where: { id: { in: page.map((k) => k.id) } } })).map((m) => [m.id, m]));
  // A monitor deleted between the two reads is left out rather than failing the page.
  const rows = page.flatMap((k) => byId.get(k.id) ?? []);
  const lastKey = page.at(-1);
  return {
    monitors: await toDtos(ownerId, rows, now),
    next_cursor: keys.length > limit && lastKey ? encodeCursor(lastKey.createdAt, lastKey.id) : null,
  };
}

async function find(ownerId: string, id: string): Promise<Monitor> {
  const m = await forTenant(ownerId).monitor.findFirst({ where: { id } });
  if (!m) throw notFound("Monitor");
  return m;
}

export async function getMonitor(ownerId: string, id: string, now = new Date()): Promise<MonitorDto> {
  return (await toDtos(ownerId, [await find(ownerId, id)], now))[0]!;
}

export async function updateMonitor(ownerId: string, actorId: string, id: string, body: UpdateMonitor, now = new Date()): Promise<MonitorDto> {
  const before = await find(ownerId, id);
  await forTenant(ownerId).$transaction(async (tx) => {
    const { count } = await tx.monitor.updateMany({
      where: { id },
      data: {
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.description !== undefined ? { description: body.description } : {}),
        ...(body.is_active !== undefined ? { isActive: body.is_active } : {}),
        ...timing(body),
      },
    });
    if (!count) throw notFound("Monitor");
    await recordAudit(tx, monitorAudit(ownerId, actorId, "monitor.updated", { id, name: body.name ?? before.name }, body));
  }, SHORT_TX);
  return getMonitor(ownerId, id, now);
}

/** Deletes the monitor and its executions; its alerts are kept, detached. */
export async function deleteMonitor(ownerId: string, actorId: string, id: string): Promise<void> {
  await forTenant(ownerId).$transaction(async (tx) => {
    const m = await tx.monitor.findFirst({ where: { id }, select: { id: true, name: true } });
    const { count } = await tx.monitor.deleteMany({ where: { id } });
    if (!count || !m) throw notFound("Monitor");
    await recordAudit(tx, monitorAudit(ownerId, actorId, "monitor.deleted", m));
  }, SHORT_TX);
}

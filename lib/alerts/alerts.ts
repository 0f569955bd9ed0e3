import "server-only";
import { randomUUID } from "node:crypto";
import { decodeCursor, encodeCursor } from "@/lib/cursor";
import { forTenant, Prisma } from "@/lib/db";
import { AppError, notFound } from "@/lib/errors";
import { requireToken, type RateLimit } from "@/lib/rate-limit";
import { deliverNow, queueNotifications } from "@/lib/alerts/notify";
import { resolveAlert } from "@/lib/alerts/lifecycle";
import type { AlertDto, AlertListQuery, TestAlertResult } from "@/lib/alerts/schemas";
import { alertDto } from "@/lib/alerts/serialize";
import { settingsFor } from "@/lib/alerts/settings";

// What a tenant does with its alerts: list, read, acknowledge / mute / resolve, and send a test alert.

const include = { notifications: { orderBy: { createdAt: "asc" as const } }, events: { orderBy: { at: "asc" as const } } };

type Key = { id: string; status: "OPEN" | "RESOLVED"; openedAt: Date };
/** Opaque: the (status, openedAt, id) of a page's last alert. */
const encodeKey = (k: Key) => `${k.status === "OPEN" ? "o" : "r"}~${encodeCursor(k.openedAt, k.id)}`;
function decodeKey(cursor: string): Key {
  const [s, rest] = cursor.split("~", 2);
  if ((s !== "o" && s !== "r") || !rest) throw new AppError("invalid_cursor", "The cursor is not one this API returned");
  const { createdAt, id } = decodeCursor(rest);
  return { status: s === "o" ? "OPEN" : "RESOLVED", openedAt: createdAt, id };
}

/** One status's alerts newest first, after a key: a row-value range on ("ownerId", status, "openedAt" DESC, id DESC). */
export function alertPageSql(ownerId: string, status: Key["status"], after: Pick<Key, "id" | "openedAt"> | null, take: number) {
  return Prisma.sql`
    SELECT id, status::text AS status, "openedAt" FROM "Alert"
    WHERE "ownerId" = ${ownerId} AND status = ${status}::"AlertStatus"
      ${after ? Prisma.sql`AND ("openedAt", id) < (${after.openedAt.toISOString()}::timestamp(3), ${after.id})` : Prisma.empty}
    ORDER BY "openedAt" DESC, id DESC
    LIMIT ${take}`;
}

// Raw SQL is not scoped: the query filters by "ownerId" itself.
const keysOf = (ownerId: string, status: Key["status"], after: Key | null, take: number) =>
  forTenant(ownerId).$queryRaw<Key[]>(alertPageSql(ownerId, status, after, take));

/**
 * Open first, then newest first by (openedAt, id): keyset paging never skips or repeats an alert. The
 * two statuses are two index ranges read one after the other (the order mixes directions, so no single
 * row-value comparison covers both).
 */
export async function listAlerts(ownerId: string, q: Pick<AlertListQuery, "status" | "cursor"> & { limit?: number }): Promise<{ alerts: AlertDto[]; next_cursor: string | null }> {
  const limit = q.limit ?? 25;
  const after = q.cursor ? decodeKey(q.cursor) : null;
  const statuses: Key["status"][] = q.status === "all" ? ["OPEN", "RESOLVED"] : q.status === "open" ? ["OPEN"] : ["RESOLVED"];
  const keys: Key[] = [];
  for (const status of statuses.slice(after ? Math.max(0, statuses.indexOf(after.status)) : 0)) {
    if (keys.length > limit) break;
    keys.push(...(await keysOf(ownerId, status, after?.status === status ? after : null, limit + 1 - keys.length)));
  }
  const page = keys.slice(0, limit);
  const rows = new Map((await forTenant(ownerId).alert.findMany({ where: { id: { in: page.map((k) => k.id) } }, include })).map((r) => [r.id, r]));
  const last = page.at(-1);
  return {
    alerts: page.flatMap((k) => (rows.has(k.id) ? [alertDto(rows.get(k.id)!)] : [])),
    next_cursor: keys.length > limit && last ? encodeKey(last) : null,
  };
}

export async function getAlert(ownerId: string, id: string): Promise<AlertDto> {
  const row = await forTenant(ownerId).alert.findFirst({ where: { id }, include });
  if (!row) throw notFound("Alert");
  return alertDto(row);
}

export type AlertUpdate = { acknowledged?: true; muted_until?: string | null; status?: "resolved" };

/** Acknowledge, mute/unmute, resolve by hand (its recovery is sent at once, one attempt per channel). */
export async function updateAlert(ownerId: string, userId: string, id: string, body: AlertUpdate, now = new Date()): Promise<AlertDto> {
  const db = forTenant(ownerId);
  const alert = await db.alert.findFirst({ where: { id } });
  if (!alert) throw notFound("Alert");
  if (body.muted_until && new Date(body.muted_until) <= now)
    throw new AppError("validation_error", "The request is invalid", [{ path: "muted_until", message: "Must be in the future", code: "custom" }]);
  await db.alert.updateMany({
    where: { id },
    data: {
      ...(body.acknowledged && !alert.acknowledgedAt ? { acknowledgedAt: now, acknowledgedBy: userId } : {}),
      ...(body.muted_until !== undefined ? { mutedUntil: body.muted_until ? new Date(body.muted_until) : null } : {}),
    },
  });
  // A repeated hand resolve (the first died before its recovery was queued) re-derives that recovery; one
  // queued but never sent is delivered by the alert sweep.
  if (body.status === "resolved" && (alert.status === "OPEN" || alert.resolution === "manual")) {
    const current = await db.alert.findFirstOrThrow({ where: { id } });
    await deliverNow(await resolveAlert(await settingsFor(ownerId), current, now, { summary: "Resolved by hand.", resolution: "manual" }));
  }
  return getAlert(ownerId, id);
}

/** Test alerts reach real inboxes and endpoints: a few a minute per workspace, shared by every instance. */
export const TEST_ALERT_LIMIT: RateLimit = { limit: 5, windowMs: 60_000 };

/** Sends a test alert to every configured channel now and reports each channel's outcome. */
export async function sendTestAlert(ownerId: string, now = new Date()): Promise<TestAlertResult> {
  await requireToken("alert-test", ownerId, TEST_ALERT_LIMIT);
  const settings = await settingsFor(ownerId);
  const ids = await queueNotifications({ settings, facts: { kind: "TEST", alert: null, at: now }, eventKey: `test:${randomUUID()}` });
  await deliverNow(ids);
  // In the settings' order: the email, then each webhook as listed.
  const position = (key: string) => (key.endsWith(":email") ? -1 : settings.webhooks.findIndex((w) => key.endsWith(`:webhook:${w.id}`)));
  const rows = (await forTenant(ownerId).alertNotification.findMany({ where: { id: { in: ids } } }))
    .sort((a, b) => position(a.idempotencyKey) - position(b.idempotencyKey));
  return {
    results: rows.map((r) => ({
      channel: r.channel === "EMAIL" ? "email" : "webhook",
      target: r.target,
      status: r.status.toLowerCase() as TestAlertResult["results"][number]["status"],
      error_code: r.errorCode,
      error_message: r.errorMessage,
    })),
  };
}

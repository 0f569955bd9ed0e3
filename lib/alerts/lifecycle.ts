import "server-only";
import { randomUUID } from "node:crypto";
import { systemDb } from "@/lib/db";
import type { Alert } from "@/lib/generated/prisma/client";
import { queueNotifications, type Suppressed } from "@/lib/alerts/notify";
import type { RuleName } from "@/lib/alerts/schemas";
import { kindOf, severityOf } from "@/lib/alerts/serialize";
import type { EffectiveSettings } from "@/lib/alerts/settings";

// The alert lifecycle, safe under concurrent duplicates of the same evaluation:
// - open: one open alert per (rule, subject), enforced by the unique (ownerId, openKey) index; only
//   the copy whose row was inserted notifies;
// - re-notify: compare-and-set on lastNotifiedAt, so one copy wins each interval;
// - resolve: compare-and-set on status, so the recovery goes out once.
// Every function takes `now`, so tests drive time instead of sleeping.

export type Subject = { type: "schedule" | "connection" | "scheduler" | "coverage" | "monitor"; id: string | null; scheduleId?: string | null; monitorId?: string | null };
export type Condition = { rule: RuleName; subject: Subject; title: string; message: string };

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
/** How long after a state change a retried step may still queue that change's messages (they never were). */
const RETRY_WINDOW_MS = 10 * MIN;

/**
 * A retried or duplicated step finds the state change already made. Its messages are re-derived from
 * the deterministic event key: the ones still PENDING are returned again (the lease sends each once);
 * when none was ever recorded (the step died between the change and the queueing) and the change is
 * recent, they are queued now.
 */
async function rederive(alertId: string, kind: "OPEN" | "RESOLVE", changedAt: Date | null, now: Date, queue: () => Promise<string[]>): Promise<string[]> {
  const rows = await systemDb().alertNotification.findMany({ where: { alertId, kind }, select: { id: true, status: true } });
  if (rows.length) return rows.filter((r) => r.status === "PENDING").map((r) => r.id);
  if (!changedAt || now.getTime() - changedAt.getTime() > RETRY_WINDOW_MS) return [];
  return queue();
}

export const dedupKeyOf = (c: Pick<Condition, "rule" | "subject">) => `${kindOf(c.rule)}:${c.subject.type}:${c.subject.id ?? "-"}`;

const snoozed = (s: EffectiveSettings, now: Date): Suppressed | null =>
  s.snoozedUntil && s.snoozedUntil > now ? { code: "snoozed", message: `Alerts are snoozed until ${s.snoozedUntil.toISOString()}` } : null;

/** An open message for this rule and subject went out within the cooldown: a re-open stays quiet. */
async function cooldown(s: EffectiveSettings, dedupKey: string, alertId: string, now: Date): Promise<Suppressed | null> {
  if (s.cooldownMinutes <= 0) return null;
  const recent = await systemDb().alertNotification.findFirst({
    where: { ownerId: s.ownerId, kind: "OPEN", status: { in: ["PENDING", "SENT"] }, createdAt: { gt: new Date(now.getTime() - s.cooldownMinutes * MIN) },
      alert: { dedupKey, id: { not: alertId } } },
    select: { createdAt: true },
  });
  return recent ? { code: "cooldown", message: `Re-opened within the ${s.cooldownMinutes}-minute cooldown of the last message (${recent.createdAt.toISOString()})` } : null;
}

/** Opens the alert unless one is open for the same rule and subject; returns the notifications to send. */
export async function openAlert(s: EffectiveSettings, c: Condition, now: Date): Promise<string[]> {
  const dedupKey = dedupKeyOf(c);
  const id = randomUUID();
  await systemDb().alert.createMany({
    data: [{
      id, ownerId: s.ownerId, kind: kindOf(c.rule), severity: severityOf(s.rules[c.rule].severity), dedupKey, openKey: dedupKey,
      subjectType: c.subject.type, subjectId: c.subject.id, scheduledReviewId: c.subject.scheduleId ?? null, monitorId: c.subject.monitorId ?? null,
      title: c.title, message: c.message, openedAt: now, lastNotifiedAt: now,
    }],
    skipDuplicates: true,
  });
  let alert = await systemDb().alert.findUnique({ where: { id } });
  if (!alert) {
    // Already open: nothing new, unless this is a retry of the step that opened it and never queued its messages.
    const open = await systemDb().alert.findUnique({ where: { ownerId_openKey: { ownerId: s.ownerId, openKey: dedupKey } } });
    return open ? openMessages(s, open, now) : [];
  }
  const opensToday = await systemDb().alert.count({ where: { ownerId: s.ownerId, dedupKey, openedAt: { gt: new Date(now.getTime() - DAY), lte: now } } });
  if (opensToday > s.flappingPerDay) alert = await systemDb().alert.update({ where: { id }, data: { flapping: true } });
  const suppressed = snoozed(s, now) ?? (await cooldown(s, dedupKey, id, now));
  return queueNotifications({ settings: s, facts: { kind: "OPEN", alert, at: now }, eventKey: `${id}:open`, suppressed });
}

/**
 * An evaluation that finds its alert already open: the open's messages still PENDING (a retry of the
 * step that queued them), or queued now when that step died before queueing (within a few minutes of the open).
 */
export function openMessages(s: EffectiveSettings, open: Alert, now: Date): Promise<string[]> {
  return rederive(open.id, "OPEN", open.openedAt, now, async () => queueNotifications({
    settings: s, facts: { kind: "OPEN", alert: open, at: open.openedAt }, eventKey: `${open.id}:open`,
    suppressed: snoozed(s, now) ?? (await cooldown(s, open.dedupKey, open.id, now)),
  }));
}

/** The open alert of this rule and subject, if any. */
export function findOpen(ownerId: string, c: Pick<Condition, "rule" | "subject">) {
  return systemDb().alert.findUnique({ where: { ownerId_openKey: { ownerId, openKey: dedupKeyOf(c) } } });
}

/**
 * Resolves an open alert once, with a summary of what happened meanwhile. The recovery is sent only
 * when the opening was (an alert nobody was told about resolves quietly), and never while muted or snoozed.
 */
export async function resolveAlert(s: EffectiveSettings, alert: Alert, now: Date, opts: { summary: string; resolution?: "recovered" | "manual" }): Promise<string[]> {
  const { count } = await systemDb().alert.updateMany({
    where: { id: alert.id, status: "OPEN" },
    data: { status: "RESOLVED", openKey: null, resolvedAt: now, resolution: opts.resolution ?? "recovered" },
  });
  const resolved = await systemDb().alert.findUniqueOrThrow({ where: { id: alert.id } });
  if (!count) {
    if (resolved.status !== "RESOLVED") return [];
    return rederive(alert.id, "RESOLVE", resolved.resolvedAt, now, () => queueResolve(s, alert, resolved, now, opts.summary));
  }
  return queueResolve(s, alert, resolved, now, opts.summary);
}

async function queueResolve(s: EffectiveSettings, alert: Alert, resolved: Alert, now: Date, summary: string): Promise<string[]> {
  const told = await systemDb().alertNotification.count({ where: { alertId: alert.id, status: { in: ["PENDING", "SENT"] } } });
  const muted: Suppressed | null = alert.mutedUntil && alert.mutedUntil > now ? { code: "muted", message: `Muted until ${alert.mutedUntil.toISOString()}` } : null;
  const quiet: Suppressed | null = told ? null : { code: "not_told_open", message: "Nobody was told this alert opened (cooldown, snooze or mute), so its recovery is not sent either" };
  const suppressed = muted ?? snoozed(s, now) ?? quiet;
  return queueNotifications({ settings: s, facts: { kind: "RESOLVE", alert: resolved, summary, at: resolved.resolvedAt ?? now }, eventKey: `${alert.id}:resolve`, suppressed });
}

/**
 * Re-sends an open, unacknowledged, unmuted alert to every channel once its interval has passed. The
 * messages are queued before the compare-and-set on lastNotifiedAt, under a key derived from the
 * previous value: a retry after the queueing re-derives the same rows, and a step that died after the
 * compare-and-set leaves them PENDING for the sweep (deliverStranded).
 */
export async function renotifyAlert(s: EffectiveSettings, alert: Alert, now: Date): Promise<string[]> {
  if (alert.status !== "OPEN" || alert.acknowledgedAt || (alert.mutedUntil && alert.mutedUntil > now)) return [];
  const last = alert.lastNotifiedAt ?? alert.openedAt;
  if (now.getTime() - last.getTime() < s.renotifyMinutes * MIN) return [];
  const eventKey = `${alert.id}:renotify:${last.getTime()}`;
  const ids = await queueNotifications({ settings: s, facts: { kind: "RENOTIFY", alert, at: now }, eventKey, suppressed: snoozed(s, now) });
  const { count } = await systemDb().alert.updateMany({ where: { id: alert.id, status: "OPEN", lastNotifiedAt: last }, data: { lastNotifiedAt: now } });
  if (count) return ids;
  const current = await systemDb().alert.findUnique({ where: { id: alert.id }, select: { status: true, lastNotifiedAt: true } });
  if (current?.status === "OPEN" && current.lastNotifiedAt && current.lastNotifiedAt.getTime() !== last.getTime()) return ids; // a duplicate advanced it from the same value: same rows
  // Resolved or acknowledged meanwhile: withdraw what nobody has started sending.
  await systemDb().alertNotification.deleteMany({ where: { id: { in: ids }, status: "PENDING", leaseUntil: null } });
  return [];
}

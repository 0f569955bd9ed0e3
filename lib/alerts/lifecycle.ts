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
  if (!alert) return []; // already open: this evaluation adds nothing
  const opensToday = await systemDb().alert.count({ where: { ownerId: s.ownerId, dedupKey, openedAt: { gt: new Date(now.getTime() - DAY), lte: now } } });
  if (opensToday > s.flappingPerDay) alert = await systemDb().alert.update({ where: { id }, data: { flapping: true } });
  const suppressed = snoozed(s, now) ?? (await cooldown(s, dedupKey, id, now));
  return queueNotifications({ settings: s, facts: { kind: "OPEN", alert, at: now }, eventKey: `${id}:open`, suppressed });
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
  if (!count) return [];
  const resolved = await systemDb().alert.findUniqueOrThrow({ where: { id: alert.id } });
  const told = await systemDb().alertNotification.count({ where: { alertId: alert.id, status: { in: ["PENDING", "SENT"] } } });
  const muted: Suppressed | null = alert.mutedUntil && alert.mutedUntil > now ? { code: "muted", message: `Muted until ${alert.mutedUntil.toISOString()}` } : null;
  const quiet: Suppressed | null = told ? null : { code: "not_told_open", message: "Nobody was told this alert opened (cooldown, snooze or mute), so its recovery is not sent either" };
  const suppressed = muted ?? snoozed(s, now) ?? quiet;
  return queueNotifications({ settings: s, facts: { kind: "RESOLVE", alert: resolved, summary: opts.summary, at: now }, eventKey: `${alert.id}:resolve`, suppressed });
}

/** Re-sends an open, unacknowledged, unmuted alert to every channel once its interval has passed. */
export async function renotifyAlert(s: EffectiveSettings, alert: Alert, now: Date): Promise<string[]> {
  if (alert.status !== "OPEN" || alert.acknowledgedAt || (alert.mutedUntil && alert.mutedUntil > now)) return [];
  const last = alert.lastNotifiedAt ?? alert.openedAt;
  if (now.getTime() - last.getTime() < s.renotifyMinutes * MIN) return [];
  const { count } = await systemDb().alert.updateMany({ where: { id: alert.id, status: "OPEN", lastNotifiedAt: last }, data: { lastNotifiedAt: now } });
  if (!count) return [];
  return queueNotifications({ settings: s, facts: { kind: "RENOTIFY", alert, at: now }, eventKey: `${alert.id}:renotify:${last.getTime()}`, suppressed: snoozed(s, now) });
}

import "server-only";
import { randomUUID } from "node:crypto";
import { systemDb } from "@/lib/db";
import type { Alert, AlertSeverity } from "@/lib/generated/prisma/client";
import { queueNotifications, type Suppressed } from "@/lib/alerts/notify";
import { quietUntil } from "@/lib/alerts/quiet-hours";
import type { RuleName } from "@/lib/alerts/schemas";
import { kindOf, ruleOf, severityOf } from "@/lib/alerts/serialize";
import type { EffectiveSettings } from "@/lib/alerts/settings";

// The alert lifecycle, safe under concurrent duplicates of the same evaluation:
// - open: one open alert per subject (a schedule, a monitor, a connection, the scheduler), enforced by the
//   unique (ownerId, openKey) index; only the copy whose row was inserted notifies. Another rule firing for
//   the same subject joins the open alert (an AlertEvent, severity raised if higher) and notifies nobody;
// - hold: an open or recovery within the cooldown of the subject's last open/recovery message, or a
//   non-critical message in quiet hours, is stored PENDING with sendAfter; the sweep sends it then if it is
//   still true (lib/alerts/notify.ts), so a flapping subject sends at most one message per cooldown;
// - re-notify: compare-and-set on lastNotifiedAt, so one copy wins each interval;
// - resolve: compare-and-set on status, so the recovery goes out once.
// Every function takes `now`, so tests drive time instead of sleeping.

export type Subject = { type: "schedule" | "connection" | "scheduler" | "coverage" | "monitor"; id: string | null; scheduleId?: string | null; monitorId?: string | null };
export type Condition = { rule: RuleName; subject: Subject; title: string; message: string };
export type Resolution = "recovered" | "manual" | "schedule_deleted" | "schedule_paused" | "monitor_deleted";

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
/** How long after a state change a retried step may still queue that change's messages (they never were). */
const RETRY_WINDOW_MS = 10 * MIN;
const RANK: Record<AlertSeverity, number> = { INFO: 1, WARNING: 2, CRITICAL: 3 };
/**
 * What counts as "told": sent, being sent now (not held), or (locally, no RESEND_API_KEY) kept in the email
 * outbox, which is what a sent email is in development.
 */
const TOLD = [{ status: "SENT" as const }, { status: "PENDING" as const, sendAfter: null }, { status: "SKIPPED" as const, errorCode: "email_outbox" }];

/**
 * A retried or duplicated step finds the state change already made. Its messages are re-derived from
 * the deterministic event key: the ones still PENDING are returned again (the lease sends each once);
 * when none was ever recorded (the step died between the change and the queueing) and the change is
 * recent, they are queued now.
 */
async function rederive(alertId: string, kind: "OPEN" | "RESOLVE", changedAt: Date | null, now: Date, queue: () => Promise<string[]>): Promise<string[]> {
  const rows = await systemDb().alertNotification.findMany({ where: { alertId, kind }, select: { id: true, status: true, sendAfter: true } });
  if (rows.length) return rows.filter((r) => r.status === "PENDING" && !r.sendAfter).map((r) => r.id);
  if (!changedAt || now.getTime() - changedAt.getTime() > RETRY_WINDOW_MS) return [];
  return queue();
}

/** One open alert per subject: every rule about it shares the key. */
export const subjectKeyOf = (subject: Subject) => `${subject.type}:${subject.id ?? "-"}`;

const snoozed = (s: EffectiveSettings, now: Date): Suppressed | null =>
  s.snoozedUntil && s.snoozedUntil > now ? { code: "snoozed", message: `Alerts are snoozed until ${s.snoozedUntil.toISOString()}` } : null;

/**
 * When an open or recovery message may go out: after the cooldown of the subject's last open/recovery
 * message that was sent (or is being sent), and, unless critical, after the quiet hours it falls in. Null: now.
 */
async function holdUntil(s: EffectiveSettings, alert: Alert, now: Date): Promise<Date | null> {
  let until: Date | null = null;
  if (s.cooldownMinutes > 0) {
    // A message goes out when it is queued, or at its sendAfter when it was held: the cooldown runs from then.
    const since = new Date(now.getTime() - s.cooldownMinutes * MIN);
    const told = await systemDb().alertNotification.findMany({
      where: { ownerId: s.ownerId, kind: { in: ["OPEN", "RESOLVE"] }, alert: { dedupKey: alert.dedupKey },
        AND: [{ OR: TOLD }, { OR: [{ sendAfter: null, createdAt: { gt: since, lte: now } }, { sendAfter: { gt: since, lte: now } }] }] },
      select: { createdAt: true, sendAfter: true },
    });
    const last = Math.max(0, ...told.map((r) => (r.sendAfter ?? r.createdAt).getTime()));
    if (last) until = new Date(last + s.cooldownMinutes * MIN);
  }
  return quietHold(s, alert, until ?? now) ?? until;
}

/** Critical messages pass quiet hours; others wait for them to end. */
const quietHold = (s: EffectiveSettings, alert: Pick<Alert, "severity">, at: Date) => (alert.severity === "CRITICAL" ? null : quietUntil(s.quietHours, at));

/** The open alert of this subject, if any. */
export function findOpen(ownerId: string, subject: Subject) {
  return systemDb().alert.findUnique({ where: { ownerId_openKey: { ownerId, openKey: subjectKeyOf(subject) } } });
}

/** The rules an alert carries: the one that opened it, then those that joined. */
export async function rulesOf(alert: Pick<Alert, "id" | "kind">): Promise<RuleName[]> {
  const joined = await systemDb().alertEvent.findMany({ where: { alertId: alert.id, kind: "joined" }, orderBy: { at: "asc" }, select: { rule: true } });
  return [ruleOf(alert.kind), ...joined.map((j) => j.rule as RuleName)];
}

/** Another rule fired for the subject of an open alert: a timeline entry and the higher severity, no message. Idempotent. */
async function joinAlert(s: EffectiveSettings, alert: Alert, c: Condition, now: Date): Promise<void> {
  const severity = severityOf(s.rules[c.rule].severity);
  await systemDb().alertEvent.createMany({
    data: [{ ownerId: alert.ownerId, alertId: alert.id, kind: "joined", rule: c.rule, severity, title: c.title, at: now }],
    skipDuplicates: true,
  });
  const lower = (Object.keys(RANK) as AlertSeverity[]).filter((x) => RANK[x] < RANK[severity]);
  await systemDb().alert.updateMany({ where: { id: alert.id, status: "OPEN", severity: { in: lower } }, data: { severity } });
}

/**
 * The subject broke these rules (at least one). Without an open alert the first opens one, the others join
 * it before anyone is told, and the open is queued (or held); with one, the rules it lacks join it.
 */
export async function openAlert(s: EffectiveSettings, conditions: Condition[], now: Date): Promise<string[]> {
  const [first, ...rest] = conditions;
  if (!first) return [];
  const dedupKey = subjectKeyOf(first.subject);
  const id = randomUUID();
  await systemDb().alert.createMany({
    data: [{
      id, ownerId: s.ownerId, kind: kindOf(first.rule), severity: severityOf(s.rules[first.rule].severity), dedupKey, openKey: dedupKey,
      subjectType: first.subject.type, subjectId: first.subject.id, scheduledReviewId: first.subject.scheduleId ?? null, monitorId: first.subject.monitorId ?? null,
      title: first.title, message: first.message, openedAt: now, lastNotifiedAt: now,
    }],
    skipDuplicates: true,
  });
  if (!(await systemDb().alert.findUnique({ where: { id }, select: { id: true } }))) {
    // Already open: the rules it lacks join it; a retry of the step that opened it re-derives its messages.
    const open = await findOpen(s.ownerId, first.subject);
    if (!open) return [];
    const has = await rulesOf(open);
    for (const c of conditions) if (!has.includes(c.rule)) await joinAlert(s, open, c, now);
    const current = await systemDb().alert.findUniqueOrThrow({ where: { id: open.id } });
    return [...(await openMessages(s, current, now)), ...(await escalateHeldOpen(s, current, now))];
  }
  for (const c of rest) await joinAlert(s, { id, ownerId: s.ownerId } as Alert, c, now);
  const opensToday = await systemDb().alert.count({ where: { ownerId: s.ownerId, dedupKey, openedAt: { gt: new Date(now.getTime() - DAY), lte: now } } });
  if (opensToday > s.flappingPerDay) await systemDb().alert.update({ where: { id }, data: { flapping: true } });
  return queueOpen(s, await systemDb().alert.findUniqueOrThrow({ where: { id } }), now);
}

async function queueOpen(s: EffectiveSettings, alert: Alert, now: Date): Promise<string[]> {
  const suppressed = snoozed(s, now);
  return queueNotifications({
    settings: s, facts: { kind: "OPEN", alert, at: alert.openedAt }, eventKey: `${alert.id}:open`, suppressed,
    sendAfter: suppressed ? null : await holdUntil(s, alert, now),
  });
}

/**
 * An evaluation that finds its alert already open: the open's messages still PENDING (a retry of the
 * step that queued them), or queued now when that step died before queueing (within a few minutes of the open).
 */
export function openMessages(s: EffectiveSettings, open: Alert, now: Date): Promise<string[]> {
  return rederive(open.id, "OPEN", open.openedAt, now, () => queueOpen(s, open, now));
}

/**
 * The settings changed (quiet hours shortened or removed, cooldown lowered): held messages whose hold
 * ends earlier under them are moved forward. Later holds are found when they come due (notify.ts).
 */
export async function rescheduleHeld(s: EffectiveSettings, now: Date): Promise<void> {
  const held = await systemDb().alertNotification.findMany({
    where: { ownerId: s.ownerId, status: "PENDING", sendAfter: { gt: now }, leaseUntil: null, alertId: { not: null } },
    include: { alert: true }, take: 500,
  });
  for (const row of held) {
    const until = (await holdUntil(s, row.alert!, now)) ?? now;
    if (until < row.sendAfter!) await systemDb().alertNotification.updateMany({ where: { id: row.id, status: "PENDING", sendAfter: row.sendAfter }, data: { sendAfter: until } });
  }
}

/**
 * A rule joined at critical while the open was still held (quiet hours hold warnings, not criticals):
 * the held message is withdrawn and the open is queued again under its own key, rendered critical and
 * held by the cooldown only. A retry finds the withdrawn row and re-derives the same key.
 */
async function escalateHeldOpen(s: EffectiveSettings, alert: Alert, now: Date): Promise<string[]> {
  if (alert.severity !== "CRITICAL") return [];
  const eventKey = `${alert.id}:open:critical`;
  const { count } = await systemDb().alertNotification.updateMany({
    where: { alertId: alert.id, kind: "OPEN", status: "PENDING", sendAfter: { gt: now }, NOT: { idempotencyKey: { startsWith: eventKey } } },
    data: { status: "SKIPPED", errorCode: "superseded", errorMessage: "Escalated to critical: sent without waiting for quiet hours" },
  });
  if (!count && !(await systemDb().alertNotification.count({ where: { alertId: alert.id, idempotencyKey: { startsWith: eventKey } } }))) return [];
  const suppressed = snoozed(s, now);
  return queueNotifications({
    settings: s, facts: { kind: "OPEN", alert, at: now }, eventKey, suppressed,
    sendAfter: suppressed ? null : await holdUntil(s, alert, now),
  });
}

/**
 * Resolves an open alert once, with a summary of what happened meanwhile. Held messages about it are
 * withdrawn. The recovery is sent only when the opening was (an alert nobody was told about resolves
 * quietly), never while muted or snoozed, and is held like an open (cooldown, quiet hours).
 */
export async function resolveAlert(s: EffectiveSettings, alert: Alert, now: Date, opts: { summary: string; resolution?: Resolution }): Promise<string[]> {
  const { count } = await systemDb().alert.updateMany({
    where: { id: alert.id, status: "OPEN" },
    data: { status: "RESOLVED", openKey: null, resolvedAt: now, resolution: opts.resolution ?? "recovered" },
  });
  const resolved = await systemDb().alert.findUniqueOrThrow({ where: { id: alert.id } });
  if (resolved.status !== "RESOLVED") return [];
  await systemDb().alertNotification.updateMany({
    where: { alertId: alert.id, kind: { in: ["OPEN", "RENOTIFY"] }, status: "PENDING", sendAfter: { not: null } },
    data: { status: "SKIPPED", errorCode: "superseded", errorMessage: "The alert resolved before this held message was due" },
  });
  if (!count) return rederive(alert.id, "RESOLVE", resolved.resolvedAt, now, () => queueResolve(s, resolved, now, opts.summary));
  return queueResolve(s, resolved, now, opts.summary);
}

async function queueResolve(s: EffectiveSettings, resolved: Alert, now: Date, summary: string): Promise<string[]> {
  const told = await systemDb().alertNotification.count({ where: { alertId: resolved.id, OR: TOLD } });
  const muted: Suppressed | null = resolved.mutedUntil && resolved.mutedUntil > now ? { code: "muted", message: `Muted until ${resolved.mutedUntil.toISOString()}` } : null;
  const quiet: Suppressed | null = told ? null : { code: "not_told_open", message: "Nobody was told this alert opened (held, snoozed or muted), so its recovery is not sent either" };
  const suppressed = muted ?? snoozed(s, now) ?? quiet;
  return queueNotifications({
    settings: s, facts: { kind: "RESOLVE", alert: resolved, summary, at: resolved.resolvedAt ?? now }, eventKey: `${resolved.id}:resolve`, suppressed,
    sendAfter: suppressed ? null : await holdUntil(s, resolved, now),
  });
}

/**
 * Re-sends an open, unacknowledged, unmuted alert to every channel once its interval has passed (held in
 * quiet hours unless critical; not while a held message about it waits). The messages are queued before
 * the compare-and-set on lastNotifiedAt, under a key derived from the previous value: a retry after the
 * queueing re-derives the same rows, and a step that died after the compare-and-set leaves them PENDING
 * for the sweep (deliverStranded).
 */
export async function renotifyAlert(s: EffectiveSettings, alert: Alert, now: Date): Promise<string[]> {
  if (alert.status !== "OPEN" || alert.acknowledgedAt || (alert.mutedUntil && alert.mutedUntil > now)) return [];
  const last = alert.lastNotifiedAt ?? alert.openedAt;
  if (now.getTime() - last.getTime() < s.renotifyMinutes * MIN) return [];
  if (await systemDb().alertNotification.count({ where: { alertId: alert.id, status: "PENDING", sendAfter: { not: null } } })) return [];
  const eventKey = `${alert.id}:renotify:${last.getTime()}`;
  const suppressed = snoozed(s, now);
  const ids = await queueNotifications({ settings: s, facts: { kind: "RENOTIFY", alert, at: now }, eventKey, suppressed, sendAfter: suppressed ? null : quietHold(s, alert, now) });
  const { count } = await systemDb().alert.updateMany({ where: { id: alert.id, status: "OPEN", lastNotifiedAt: last }, data: { lastNotifiedAt: now } });
  if (count) return ids;
  const current = await systemDb().alert.findUnique({ where: { id: alert.id }, select: { status: true, lastNotifiedAt: true } });
  if (current?.status === "OPEN" && current.lastNotifiedAt && current.lastNotifiedAt.getTime() !== last.getTime()) return ids; // a duplicate advanced it from the same value: same rows
  // Resolved or acknowledged meanwhile: withdraw what nobody has started sending.
  await systemDb().alertNotification.deleteMany({ where: { id: { in: ids }, status: "PENDING", leaseUntil: null } });
  return [];
}

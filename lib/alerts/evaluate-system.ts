import "server-only";
import { systemDb } from "@/lib/db";
import { computeCoverage } from "@/lib/monitoring/coverage";
import { POSTCHECK_WINDOW_MS } from "@/lib/monitoring/postcheck";
import { monitorDowns } from "@/lib/alerts/evaluate-monitors";
import { strandedNotifications } from "@/lib/alerts/notify";
import { findOpen, openAlert, openMessages, renotifyAlert, resolveAlert, type Condition } from "@/lib/alerts/lifecycle";
import { sweepRunningSince } from "@/lib/alerts/sweep-heartbeat";
import { effective, settingsFor, type EffectiveSettings } from "@/lib/alerts/settings";

// The rules that are not about one run: the dead-man (scheduler silent), CRM connections that expired,
// coverage after each postcheck; monitors whose runs did not happen; and re-notification of alerts
// still open. All take `now`.

const MIN = 60_000;

/**
 * Workspaces the system rules watch: those with saved settings, an active schedule or monitor, or an open
 * alert (say of a schedule since deleted: it must still resolve) (defaults apply).
 */
async function watchedSettings(): Promise<EffectiveSettings[]> {
  const rows = await systemDb().alertSettings.findMany();
  const active = [
    ...(await systemDb().scheduledReview.findMany({ where: { isActive: true }, distinct: ["ownerId"], select: { ownerId: true } })),
    ...(await systemDb().monitor.findMany({ where: { isActive: true }, distinct: ["ownerId"], select: { ownerId: true } })),
    ...(await systemDb().alert.findMany({ where: { status: "OPEN" }, distinct: ["ownerId"], select: { ownerId: true } })),
  ].filter((a, i, all) => all.findIndex((b) => b.ownerId === a.ownerId) === i);
  const saved = new Set(rows.map((r) => r.ownerId));
  return [...rows.map((r) => effective(r.ownerId, r)), ...active.filter((a) => !saved.has(a.ownerId)).map((a) => effective(a.ownerId, null))]
    .filter((s) => s.enabled);
}

const silentCondition = (minutes: number, since: Date): Condition => ({
  rule: "scheduler_silent",
  subject: { type: "scheduler", id: null },
  title: `Scheduler silent for ${minutes}+ minutes`,
  message: `No dispatcher tick since ${since.toISOString()}: scheduled reviews are not being started.`,
});

type Clock = { lastTick: Date | null; sweepSince: Date };

/**
 * Dead-man rule: opens when the dispatcher has not ticked for M minutes, resolves when it ticks again.
 * Only judged once the sweep itself has run without a gap for M minutes: after an outage of the executor
 * (dispatcher and sweep both stopped) the dispatcher gets the same M minutes to tick again before it is
 * blamed, so a restart does not open and resolve an alert a minute apart.
 */
async function deadMan(s: EffectiveSettings, { lastTick, sweepSince }: Clock, now: Date): Promise<string[]> {
  const rule = s.rules.scheduler_silent;
  const open = await findOpen(s.ownerId, { type: "scheduler", id: null });
  // Never ticked: a fresh install, not a scheduler that stopped.
  if (!lastTick) return [];
  const silentMs = now.getTime() - lastTick.getTime();
  if (silentMs > rule.minutes * MIN) {
    if (open) return openMessages(s, open, now); // a retry of the sweep that opened it
    const judged = now.getTime() - sweepSince.getTime() >= rule.minutes * MIN;
    return rule.enabled && judged ? openAlert(s, [silentCondition(rule.minutes, lastTick)], now) : [];
  }
  if (!open) return [];
  const ticks = await systemDb().schedulerTick.count({ where: { kind: "DISPATCH", startedAt: { gte: open.openedAt, lte: now } } });
  const silentFor = Math.round((now.getTime() - open.openedAt.getTime()) / MIN) + rule.minutes;
  return resolveAlert(s, open, now, { summary: `The dispatcher ticks again (${ticks} tick${ticks === 1 ? "" : "s"} since the alert opened); it was silent for about ${silentFor} minutes.` });
}

/** A connection alert resolves once the connection works again (reconnected) or is gone. */
async function connectionRecoveries(s: EffectiveSettings, now: Date): Promise<string[]> {
  const open = await systemDb().alert.findMany({ where: { ownerId: s.ownerId, status: "OPEN", kind: "CONNECTION_EXPIRED" } });
  const ids: string[] = [];
  for (const alert of open) {
    const conn = alert.subjectId ? await systemDb().crmConnection.findFirst({ where: { id: alert.subjectId, ownerId: s.ownerId }, select: { status: true } }) : null;
    if (conn && conn.status !== "ACTIVE") continue;
    ids.push(...(await resolveAlert(s, alert, now, { summary: conn ? "The CRM connection works again." : "The CRM connection was removed." })));
  }
  return ids;
}

/** Alerts of a schedule that was deleted or paused resolve (and stop re-notifying): nothing more will run to clear them. */
async function scheduleGone(s: EffectiveSettings, now: Date): Promise<string[]> {
  const open = await systemDb().alert.findMany({ where: { ownerId: s.ownerId, status: "OPEN", subjectType: "schedule" } });
  if (!open.length) return [];
  const schedules = await systemDb().scheduledReview.findMany({
    where: { ownerId: s.ownerId, id: { in: open.flatMap((a) => (a.subjectId ? [a.subjectId] : [])) } }, select: { id: true, isActive: true },
  });
  const ids: string[] = [];
  for (const alert of open) {
    const schedule = schedules.find((x) => x.id === alert.subjectId);
    if (schedule?.isActive) continue;
    const [summary, resolution] = schedule ? ["Schedule paused.", "schedule_paused"] as const : ["Schedule deleted.", "schedule_deleted"] as const;
    ids.push(...(await resolveAlert(s, alert, now, { summary, resolution })));
  }
  return ids;
}

async function renotifyAll(s: EffectiveSettings, now: Date): Promise<string[]> {
  const due = await systemDb().alert.findMany({
    where: { ownerId: s.ownerId, status: "OPEN", acknowledgedAt: null, lastNotifiedAt: { lte: new Date(now.getTime() - s.renotifyMinutes * MIN) } },
  });
  const ids: string[] = [];
  for (const alert of due) ids.push(...(await renotifyAlert(s, alert, now)));
  return ids;
}

/**
 * Every minute: its own heartbeat, dead-man, connection recoveries, alerts of deleted or paused schedules,
 * monitors down, re-notification, stranded and held messages now due. Returns the notifications to send.
 */
export async function sweepAlerts(now = new Date()): Promise<string[]> {
  const sweepSince = await sweepRunningSince(now);
  const last = await systemDb().schedulerTick.findFirst({ where: { kind: "DISPATCH", startedAt: { lte: now } }, orderBy: { startedAt: "desc" }, select: { startedAt: true } });
  const ids: string[] = [];
  for (const s of await watchedSettings()) {
    ids.push(...(await deadMan(s, { lastTick: last?.startedAt ?? null, sweepSince }, now)));
    ids.push(...(await connectionRecoveries(s, now)));
    ids.push(...(await scheduleGone(s, now)));
    ids.push(...(await monitorDowns(s, now)));
    ids.push(...(await renotifyAll(s, now)));
  }
  // Messages queued by a step that died before sending them (the step's retry may never come).
  for (const id of await strandedNotifications(now)) if (!ids.includes(id)) ids.push(id);
  return ids;
}

export type ConnectionExpired = { ownerId: string; connectionId: string; provider: string; reason: string };

/**
 * crm/connection.expired: one open alert per connection until it works again. The event may arrive late
 * (retried, or after a reconnect): the connection's current state decides, and an active or removed one opens nothing.
 */
export async function evaluateConnectionExpired(e: ConnectionExpired, now = new Date()): Promise<string[]> {
  const s = await settingsFor(e.ownerId);
  if (!s.enabled || !s.rules.connection_expired.enabled) return [];
  const conn = await systemDb().crmConnection.findFirst({ where: { id: e.connectionId, ownerId: e.ownerId }, select: { name: true, status: true } });
  if (!conn || conn.status === "ACTIVE") return [];
  const name = conn.name;
  return openAlert(s, [{
    rule: "connection_expired",
    subject: { type: "connection", id: e.connectionId },
    title: `CRM connection “${name}” expired`,
    message: `The ${e.provider} connection “${name}” can no longer refresh its access (${e.reason.slice(0, 200)}): its schedules will fail until it is reconnected.`,
  }], now);
}

/** After each postcheck: each watched workspace's last 24 h against the 95 % bar. */
export async function evaluateCoverage(now = new Date()): Promise<string[]> {
  const ids: string[] = [];
  for (const s of await watchedSettings()) {
    const { dto } = await computeCoverage(s.ownerId, { from: new Date(now.getTime() - POSTCHECK_WINDOW_MS), to: now }, now);
    const condition: Condition = {
      rule: "coverage_below",
      subject: { type: "coverage", id: null },
      title: `Coverage ${dto.coverage_pct ?? "-"} % in the last 24 h (below 95 %)`,
      message: `${dto.completed} of ${dto.expected - dto.pending} due runs completed in the last 24 hours; ${dto.missing_count} slot${dto.missing_count === 1 ? "" : "s"} missing.`,
    };
    const open = await findOpen(s.ownerId, condition.subject);
    if (dto.status === "NEEDS_ATTENTION" && open) ids.push(...(await openMessages(s, open, now)));
    else if (dto.status === "NEEDS_ATTENTION" && s.rules.coverage_below.enabled) ids.push(...(await openAlert(s, [condition], now)));
    else if (dto.status === "HEALTHY" && open) ids.push(...(await resolveAlert(s, open, now, { summary: `Coverage is back to ${dto.coverage_pct ?? 100} % (${dto.completed} of ${dto.expected - dto.pending} due runs completed).` })));
  }
  return ids;
}

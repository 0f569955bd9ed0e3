import { iso, lower } from "@/lib/format";
import type { Alert, AlertEvent, AlertKind, AlertNotification, AlertSeverity } from "@/lib/generated/prisma/client";
import type { AlertDto, RuleName, Severity } from "@/lib/alerts/schemas";

// Rows -> the API's snake_case shapes.

const KIND_BY_RULE = {
  failures_in_window: "FAILURES_IN_WINDOW",
  consecutive_failures: "CONSECUTIVE_FAILURES",
  low_health_score: "LOW_HEALTH_SCORE",
  slow_run: "SLOW_RUN",
  connection_expired: "CONNECTION_EXPIRED",
  coverage_below: "COVERAGE_BELOW",
  scheduler_silent: "SCHEDULER_SILENT",
  monitor_down: "MONITOR_FAILURES",
} as const satisfies Record<RuleName, AlertKind>;

export const kindOf = (rule: RuleName): AlertKind => KIND_BY_RULE[rule];
const RULE_BY_KIND = Object.fromEntries(Object.entries(KIND_BY_RULE).map(([rule, kind]) => [kind, rule])) as Record<AlertKind, RuleName>;
/** The rule that opens alerts of this kind. */
export const ruleOf = (kind: AlertKind): RuleName => RULE_BY_KIND[kind];
export const kindName = (kind: AlertKind) => lower(kind) as AlertDto["kind"];
export const severityName = (s: AlertSeverity) => lower(s) as Severity;
export const severityOf = (s: Severity) => s.toUpperCase() as AlertSeverity;

export function notificationDto(n: AlertNotification) {
  return {
    id: n.id,
    kind: lower(n.kind),
    channel: lower(n.channel),
    target: n.target,
    status: lower(n.status),
    attempts: n.attempts,
    error_code: n.errorCode,
    error_message: n.errorMessage,
    created_at: n.createdAt.toISOString(),
    sent_at: iso(n.sentAt),
  };
}

export function alertDto(a: Alert & { notifications: AlertNotification[]; events: AlertEvent[] }): AlertDto {
  return {
    id: a.id,
    kind: kindName(a.kind),
    severity: severityName(a.severity),
    status: lower(a.status),
    title: a.title,
    message: a.message,
    subject: { type: a.subjectType, id: a.subjectId, schedule_id: a.scheduledReviewId },
    opened_at: a.openedAt.toISOString(),
    resolved_at: iso(a.resolvedAt),
    resolution: a.resolution,
    acknowledged_at: iso(a.acknowledgedAt),
    acknowledged_by: a.acknowledgedBy,
    muted_until: iso(a.mutedUntil),
    flapping: a.flapping,
    last_notified_at: iso(a.lastNotifiedAt),
    rules: [ruleOf(a.kind), ...a.events.filter((e) => e.kind === "joined").map((e) => e.rule)],
    events: a.events.map((e) => ({ kind: "joined" as const, rule: e.rule, severity: severityName(e.severity), title: e.title, at: e.at.toISOString() })),
    notifications: a.notifications.map(notificationDto),
  };
}

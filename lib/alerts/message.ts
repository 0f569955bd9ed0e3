import { createHmac } from "node:crypto";
import { env } from "@/lib/env";
import type { Alert, AlertNotificationKind } from "@/lib/generated/prisma/client";
import { kindName, severityName } from "@/lib/alerts/serialize";

// What an alert notification says: the email (subject, text, html) and the webhook body, both built
// from the same facts, plus the webhook signature scheme documented in the README.

export const SIGNATURE_HEADER = "Revwatch-Signature";
export const TIMESTAMP_HEADER = "Revwatch-Timestamp";
export const EVENT_ID_HEADER = "Revwatch-Event-Id";

/** "v1=" + hex HMAC-SHA256(secret, `${timestamp}.${body}`): timestamp (unix seconds) signed with the bytes. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

export type MessageFacts = {
  kind: AlertNotificationKind;
  alert: Pick<Alert, "id" | "kind" | "severity" | "status" | "title" | "message" | "openedAt" | "resolvedAt" | "subjectType" | "subjectId" | "scheduledReviewId" | "flapping"> | null;
  /** for a recovery: what happened while the alert was open */
  summary?: string;
  /** messages of the workspace the hourly cap held back since its last one */
  heldBack?: number;
  at: Date;
};

const EVENT_TYPE: Record<AlertNotificationKind, string> = { OPEN: "alert.opened", RENOTIFY: "alert.still_open", RESOLVE: "alert.resolved", TEST: "alert.test" };

function headline(f: MessageFacts): string {
  if (!f.alert) return "[TEST] Revwatch test alert";
  const sev = severityName(f.alert.severity).toUpperCase();
  if (f.kind === "RESOLVE") return `[RESOLVED] ${f.alert.title}`;
  if (f.kind === "RENOTIFY") return `[${sev}] Still open: ${f.alert.title}`;
  return `[${sev}] ${f.alert.title}${f.alert.flapping ? " (flapping)" : ""}`;
}

const heldBackLine = (n: number) =>
  `${n} other alert message${n === 1 ? " was" : "s were"} held back by the hourly limit since the last one: see the alerts page.`;

function lines(f: MessageFacts): string[] {
  const url = `${env().APP_URL}/alerts${f.alert ? `#${f.alert.id}` : ""}`;
  if (!f.alert) return ["This is a test alert from Revwatch: this channel is set up to receive alerts.", `Alerts: ${url}`];
  return [
    f.alert.message,
    ...(f.heldBack ? [heldBackLine(f.heldBack)] : []),
    ...(f.summary ? [f.summary] : []),
    ...(f.alert.flapping ? ["This alert is flapping: it opened and resolved many times in the last 24 hours."] : []),
    `Opened ${f.alert.openedAt.toISOString()}${f.alert.resolvedAt ? `, resolved ${f.alert.resolvedAt.toISOString()}` : ""}.`,
    `Details: ${url}`,
  ];
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function emailFor(f: MessageFacts, from: string, to: string[]) {
  const subject = headline(f);
  const body = lines(f);
  const html = `<div style="font-family:system-ui,sans-serif"><h2>${escapeHtml(subject)}</h2>${body.map((l) => `<p>${escapeHtml(l)}</p>`).join("")}</div>`;
  return { from, to, subject, text: body.join("\n\n"), html };
}

export function webhookBodyFor(f: MessageFacts, eventId: string) {
  const a = f.alert;
  return {
    id: eventId,
    type: EVENT_TYPE[f.kind],
    created_at: f.at.toISOString(),
    text: `${headline(f)}\n${lines(f).join("\n")}`,
    held_back: f.heldBack ?? 0,
    alert: a
      ? {
          id: a.id,
          kind: kindName(a.kind),
          severity: severityName(a.severity),
          status: a.status.toLowerCase(),
          title: a.title,
          message: a.message,
          summary: f.summary ?? null,
          flapping: a.flapping,
          subject: { type: a.subjectType, id: a.subjectId, schedule_id: a.scheduledReviewId },
          opened_at: a.openedAt.toISOString(),
          resolved_at: a.resolvedAt?.toISOString() ?? null,
          url: `${env().APP_URL}/alerts#${a.id}`,
        }
      : null,
  };
}

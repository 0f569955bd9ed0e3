// The dev outbox: every message a tenant's deliveries rendered, read back from Delivery.payload.
// Without RESEND_API_KEY this is where emails go; with it, it shows what Resend and Slack were sent.
import { forTenant, Prisma } from "@/lib/db";
import type { Delivery } from "@/lib/generated/prisma/client";
import { notFound } from "@/lib/errors";
import { emailPayloadSchema, slackPayloadSchema, type EmailPayload, type SlackPayload } from "@/lib/delivery/payload";

export type OutboxVia = "outbox" | "resend" | "slack" | null;

export type OutboxItem = {
  id: string;
  runId: string;
  scheduleName: string;
  channel: "email" | "slack";
  target: string;
  status: "pending" | "sent" | "failed" | "skipped";
  /** Where the message went: kept in the outbox, accepted by Resend or Slack, or nowhere (not sent). */
  via: OutboxVia;
  title: string;
  attempts: number;
  errorCode: string | null;
  errorMessage: string | null;
  createdAt: string;
  sentAt: string | null;
};

export type OutboxMessage = OutboxItem &
  ({ channel: "email"; email: EmailPayload | null } | { channel: "slack"; slack: SlackPayload | null });

type Row = Delivery & { run: { scheduledReview: { name: string } } };

const include = { run: { select: { scheduledReview: { select: { name: true } } } } } as const;

export const OUTBOX_PROVIDER_PREFIX = "outbox:";

function via(row: Delivery): OutboxVia {
  if (row.status !== "SENT") return null;
  if (row.providerMessageId?.startsWith(OUTBOX_PROVIDER_PREFIX)) return "outbox";
  return row.channel === "EMAIL" ? "resend" : "slack";
}

function toItem(row: Row, title: string): OutboxItem {
  return {
    id: row.id,
    runId: row.runId,
    scheduleName: row.run.scheduledReview.name,
    channel: row.channel === "EMAIL" ? "email" : "slack",
    target: row.target,
    status: row.status.toLowerCase() as OutboxItem["status"],
    via: via(row),
    title,
    attempts: row.attempts,
    errorCode: row.errorCode,
    errorMessage: row.errorMessage,
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
  };
}

/** The stored payload, parsed; null when it is not a message this version understands. */
function content(row: Delivery) {
  if (row.channel === "EMAIL") {
    const parsed = emailPayloadSchema.safeParse(row.payload);
    const email = parsed.success ? parsed.data : null;
    return { channel: "email" as const, title: email?.subject ?? "(unreadable message)", email };
  }
  const parsed = slackPayloadSchema.safeParse(row.payload);
  const slack = parsed.success ? parsed.data : null;
  return { channel: "slack" as const, title: slack?.text ?? "(unreadable message)", slack };
}

/** Newest first; only deliveries that rendered a message (skipped ones have nothing to show). */
export async function listOutbox(ownerId: string, opts: { limit?: number } = {}): Promise<OutboxItem[]> {
  const rows = await forTenant(ownerId).delivery.findMany({
    where: { payload: { not: Prisma.DbNull } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(Math.max(opts.limit ?? 50, 1), 200),
    include,
  });
  return rows.map((r) => toItem(r, content(r).title));
}

/** One message with its full payload; another tenant's id is simply not found. */
export async function getOutboxMessage(ownerId: string, id: string): Promise<OutboxMessage> {
  const row = await forTenant(ownerId).delivery.findFirst({ where: { id, payload: { not: Prisma.DbNull } }, include });
  if (!row) throw notFound("Message");
  const c = content(row);
  return { ...toItem(row, c.title), ...c };
}

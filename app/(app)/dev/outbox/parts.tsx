import type { OutboxItem, OutboxVia } from "@/lib/delivery/outbox";

const STATUS_STYLE: Record<OutboxItem["status"], string> = {
  sent: "bg-green-100 text-green-800",
  failed: "bg-red-100 text-red-800",
  pending: "bg-amber-100 text-amber-800",
  skipped: "bg-slate-100 text-slate-700",
};

export function DeliveryStatusBadge({ status }: { status: OutboxItem["status"] }) {
  return <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${STATUS_STYLE[status]}`}>{status}</span>;
}

const VIA_LABEL: Record<Exclude<OutboxVia, null>, string> = {
  outbox: "kept in the outbox",
  resend: "sent via Resend",
  slack: "posted to Slack",
};

export function ViaLabel({ via }: { via: OutboxVia }) {
  return via ? <span className="ml-2 text-xs text-slate-500">{VIA_LABEL[via]}</span> : null;
}

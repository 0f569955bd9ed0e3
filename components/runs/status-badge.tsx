import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { RunDto } from "@/lib/runs/schemas";

type Status = RunDto["status"];

// The badges users know; the icon and the word carry the status, the colour only reinforces it.
export const RUN_STATUS_LOOK: Record<Status, { tone: BadgeTone; label: string }> = {
  completed: { tone: "green", label: "✓ Completed" },
  failed: { tone: "red", label: "✗ Failed" },
  running: { tone: "blue", label: "⏱ Running" },
  queued: { tone: "slate", label: "Queued" },
  skipped: { tone: "amber", label: "Skipped" },
};

export function RunStatusBadge({ status }: { status: Status }) {
  const { tone, label } = RUN_STATUS_LOOK[status];
  return (
    <Badge tone={tone} className="whitespace-nowrap">
      <span data-testid="run-status">{label}</span>
    </Badge>
  );
}

const DELIVERY_TONE: Record<RunDto["deliveries"][number]["status"], BadgeTone> = {
  sent: "green",
  failed: "red",
  pending: "slate",
  skipped: "amber",
};

export function DeliveryStatusBadge({ status }: { status: RunDto["deliveries"][number]["status"] }) {
  return <Badge tone={DELIVERY_TONE[status]}>{status[0]!.toUpperCase() + status.slice(1)}</Badge>;
}

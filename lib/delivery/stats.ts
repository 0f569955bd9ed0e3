// Delivery rate from the Delivery rows: sent / (sent + failed). Skipped (nothing configured) and
// pending (still retrying) deliveries are neither a success nor a failure.
import { forTenant } from "@/lib/db";

export type DeliveryCounts = { sent: number; failed: number; skipped: number; pending: number };
export type DeliveryStats = DeliveryCounts & {
  /** 0..1, null when nothing was attempted to completion. */
  rate: number | null;
  byChannel: Record<"email" | "slack", DeliveryCounts & { rate: number | null }>;
};

const empty = (): DeliveryCounts => ({ sent: 0, failed: 0, skipped: 0, pending: 0 });
const rateOf = (c: DeliveryCounts) => (c.sent + c.failed > 0 ? c.sent / (c.sent + c.failed) : null);

export async function deliveryStats(ownerId: string, since: Date): Promise<DeliveryStats> {
  const groups = await forTenant(ownerId).delivery.groupBy({
    by: ["channel", "status"],
    where: { createdAt: { gte: since } },
    _count: { _all: true },
  });
  const total = empty();
  const email = empty();
  const slack = empty();
  for (const g of groups) {
    const key = g.status.toLowerCase() as keyof DeliveryCounts;
    total[key] += g._count._all;
    (g.channel === "EMAIL" ? email : slack)[key] += g._count._all;
  }
  return {
    ...total,
    rate: rateOf(total),
    byChannel: { email: { ...email, rate: rateOf(email) }, slack: { ...slack, rate: rateOf(slack) } },
  };
}

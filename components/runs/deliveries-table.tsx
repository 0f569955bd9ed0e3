import { DeliveryStatusBadge } from "@/components/runs/status-badge";
import { RunTime } from "@/components/runs/time";
import type { RunDto } from "@/lib/runs/schemas";

const th = "whitespace-nowrap px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-600";
const td = "px-3 py-2 align-top";
const CHANNEL: Record<RunDto["deliveries"][number]["channel"], string> = { email: "Email", slack: "Slack" };

export function DeliveriesTable({ deliveries }: { deliveries: RunDto["deliveries"] }) {
  if (!deliveries.length) return <p className="text-sm text-slate-600">No deliveries for this run.</p>;
  return (
    <div className="relative overflow-x-auto rounded-lg border border-slate-200" tabIndex={0} role="region" aria-label="Deliveries">
      <table className="w-full min-w-[640px] text-sm" data-testid="deliveries">
        <thead className="bg-slate-50">
          <tr>
            <th className={th}>Channel</th>
            <th className={th}>Target</th>
            <th className={th}>Status</th>
            <th className={`${th} text-right`}>Attempts</th>
            <th className={th}>Sent</th>
            <th className={th}>Error</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {deliveries.map((d) => (
            <tr key={d.id}>
              <td className={td}>{CHANNEL[d.channel]}</td>
              <td className={`${td} break-all font-mono text-xs`}>{d.target}</td>
              <td className={td}><DeliveryStatusBadge status={d.status} /></td>
              <td className={`${td} text-right tabular-nums`}>{d.attempts}</td>
              <td className={td}><RunTime iso={d.sent_at} seconds /></td>
              <td className={`${td} text-red-700`}>
                {d.error_code || d.error_message ? [d.error_code, d.error_message].filter(Boolean).join(": ") : ""}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

import type { ReactNode } from "react";
import type { ScheduleDto } from "@/lib/schedules/schemas";
import { NextRun } from "@/components/schedules/next-run";
import { LastRun } from "@/components/schedules/run-status-badge";

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-1 break-words text-sm">{children}</dd>
    </div>
  );
}

function deliveryText(s: ScheduleDto): ReactNode {
  if (s.delivery_channels.length === 0) return <span className="text-slate-500">Not delivered (results stay in Revwatch)</span>;
  return (
    <ul className="space-y-1">
      {s.delivery_channels.includes("email") && (
        <li>Email to {s.email_recipients.join(", ")}</li>
      )}
      {s.delivery_channels.includes("slack") && <li>Slack: {s.slack_webhook_url ?? "no webhook saved"}</li>}
    </ul>
  );
}

/** The schedule at a glance, as the server last saw it. */
export function ScheduleSummary({ schedule: s }: { schedule: ScheduleDto }) {
  return (
    <dl className="grid gap-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-2 lg:grid-cols-3">
      <Item label="Runs">
        {s.schedule_description} <code className="text-xs text-slate-500">({s.schedule})</code>
      </Item>
      <Item label="Time zone">{s.timezone}</Item>
      <Item label="CRM connection">{s.crm_connection.name}</Item>
      <Item label="Next run"><NextRun schedule={s} /></Item>
      <Item label="Last run"><LastRun schedule={s} /></Item>
      <Item label="Delivery">{deliveryText(s)}</Item>
      {s.description && <div className="sm:col-span-2 lg:col-span-3"><Item label="Description">{s.description}</Item></div>}
    </dl>
  );
}

import Link from "next/link";
import type { ReactNode } from "react";
import type { Role } from "@/lib/roles";
import type { ScheduleDto } from "@/lib/schedules/schemas";
import { RunNowButton } from "@/components/runs/run-now-button";
import { ActiveToggle } from "@/components/schedules/active-toggle";
import { NextRun } from "@/components/schedules/next-run";
import { PauseNote } from "@/components/schedules/pause-note";
import { LastRun } from "@/components/schedules/run-status-badge";

const HEADERS = ["Name", "Schedule", "Time zone", "Next run", "Last run", "Active", "Run"];

/** A cell; below md the table reflows into one card per schedule, so each cell carries its label. */
function Cell({ label, children, className = "" }: { label: string; children: ReactNode; className?: string }) {
  return (
    <td className={`block py-1 md:table-cell md:px-3 md:py-3 md:align-top ${className}`}>
      <span className="block text-xs font-medium uppercase tracking-wide text-slate-500 md:hidden">{label}</span>
      {children}
    </td>
  );
}

export function ScheduleTable({ schedules, role }: { schedules: ScheduleDto[]; role: Role }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Your scheduled reviews</caption>
        <thead className="hidden border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600 md:table-header-group">
          <tr>
            {HEADERS.map((h) => (
              <th key={h} scope="col" className="px-3 py-2 font-medium">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200">
          {schedules.map((s) => (
            <tr key={s.id} className="block p-4 md:table-row md:p-0" data-testid="schedule-row">
              <Cell label="Name">
                <Link href={`/schedule/${s.id}`} className="font-medium text-indigo-700 hover:underline">{s.name}</Link>
                <span className="block text-xs text-slate-500">{s.crm_connection.name}</span>
                <PauseNote pause={s.pause} />
              </Cell>
              <Cell label="Schedule">
                {s.schedule_description}
                <code className="block text-xs text-slate-500">{s.schedule}</code>
              </Cell>
              <Cell label="Time zone" className="break-words">{s.timezone}</Cell>
              <Cell label="Next run"><NextRun schedule={s} /></Cell>
              <Cell label="Last run"><LastRun schedule={s} /></Cell>
              <Cell label="Active"><ActiveToggle id={s.id} name={s.name} isActive={s.is_active} role={role} /></Cell>
              {/* The guide's first step: find the schedule, click Run Now (paused schedules can run by hand too). */}
              <Cell label="Run" className="md:whitespace-nowrap"><RunNowButton scheduleId={s.id} scheduleName={s.name} /></Cell>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

import { RunStatusBadge } from "@/components/runs/status-badge";
import type { ScheduleDto } from "@/lib/schedules/schemas";
import { LocalTime } from "@/components/schedules/local-time";

/** The last run of a schedule: status badge and when it finished (viewer's zone). */
export function LastRun({ schedule }: { schedule: ScheduleDto }) {
  if (!schedule.last_run) return <span className="whitespace-nowrap text-slate-500">Never run</span>;
  const at = schedule.last_run.completed_at ?? schedule.last_run_at;
  return (
    <span className="flex flex-col items-start gap-1">
      <RunStatusBadge status={schedule.last_run.status} />
      {at && <span className="text-xs text-slate-500"><LocalTime iso={at} /></span>}
    </span>
  );
}

import type { ScheduleDto } from "@/lib/schedules/schemas";
import { formatLocal } from "@/lib/schedules/time";
import { LocalTime } from "@/components/schedules/local-time";

/**
 * The next run twice: in the viewer's zone (the browser's own clock) and in the schedule's zone,
 * rendered on the server from the project's tz database (server component: the data stays there).
 */
export function NextRun({ schedule }: { schedule: ScheduleDto }) {
  if (!schedule.is_active) return <span className="text-slate-500">Paused: no upcoming runs</span>;
  if (!schedule.next_run_at) return <span className="text-slate-500">No upcoming run</span>;
  return (
    <span className="flex flex-col">
      <span>
        <span className="sr-only">Your time: </span>
        <LocalTime iso={schedule.next_run_at} />
      </span>
      <span className="text-xs text-slate-500" data-testid="schedule-zone-time">
        {formatLocal(new Date(schedule.next_run_at), schedule.timezone)} in {schedule.timezone}
      </span>
    </span>
  );
}

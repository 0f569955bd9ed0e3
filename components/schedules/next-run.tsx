import type { ScheduleDto } from "@/lib/schedules/schemas";
import { formatInstant } from "@/components/schedules/format";
import { LocalTime } from "@/components/schedules/local-time";

/** The next run twice: in the viewer's zone (browser) and in the schedule's own zone (server). */
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
        {formatInstant(schedule.next_run_at, schedule.timezone)} in {schedule.timezone}
      </span>
    </span>
  );
}

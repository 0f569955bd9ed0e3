import type { ScheduleDto } from "@/lib/schedules/schemas";
import { LocalTime } from "@/components/schedules/local-time";

/** "Paused by <user>: <note>, resumes <time>" under a paused schedule's name. */
export function PauseNote({ pause }: { pause: ScheduleDto["pause"] }) {
  if (!pause?.paused_by) return null;
  return (
    <span className="block text-xs text-amber-800" data-testid="pause-note">
      Paused by {pause.paused_by}
      {pause.note ? `: ${pause.note}` : ""}
      {pause.resume_at && <>, resumes <LocalTime iso={pause.resume_at} /></>}
    </span>
  );
}

import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { RUN_STATUSES, ScheduleDto } from "@/lib/schedules/schemas";
import { LocalTime } from "@/components/schedules/local-time";

type RunStatus = (typeof RUN_STATUSES)[number];
const LOOK: Record<RunStatus, { tone: BadgeTone; label: string }> = {
  completed: { tone: "green", label: "Completed" },
  failed: { tone: "red", label: "Failed" },
  running: { tone: "blue", label: "Running" },
  queued: { tone: "slate", label: "Queued" },
  skipped: { tone: "amber", label: "Skipped" },
};

export function RunStatusBadge({ status }: { status: RunStatus }) {
  const { tone, label } = LOOK[status];
  return <Badge tone={tone}>{label}</Badge>;
}

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

import "server-only";
import { forTenant } from "@/lib/db";
import type { RunPreview } from "@/lib/schedules/time";
import { nextRuns } from "@/lib/schedules/time";
import type { ScheduleDto } from "@/lib/schedules/schemas";

// The schedule page's "describe" (as Temporal's schedule describe): missed and skipped slot counts
// and the next 10 run times.

export type ScheduleDescription = { missed: number; skipped: number; waiting: number; next: RunPreview[] };

export async function describeSchedule(ownerId: string, schedule: ScheduleDto, now = new Date()): Promise<ScheduleDescription> {
  const db = forTenant(ownerId);
  const [skipped, waiting] = await Promise.all([
    db.reviewRun.count({ where: { scheduledReviewId: schedule.id, status: "SKIPPED", errorCode: "overlap" } }),
    db.reviewRun.count({ where: { scheduledReviewId: schedule.id, status: "SKIPPED", errorCode: "buffered" } }),
  ]);
  return { missed: schedule.missed_slots, skipped, waiting, next: schedule.is_active ? nextRuns(schedule.schedule, schedule.timezone, now, 10) : [] };
}

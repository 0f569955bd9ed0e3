import "server-only";
import { forTenant } from "@/lib/db";
import { log } from "@/lib/log";
import { runsBetween } from "@/lib/schedules/time";
import type { UpcomingDto, UpcomingQuery, UpcomingRunDto } from "@/lib/schedules/upcoming-schemas";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The guide's "daily operation" (next_run_at across schedules) as one list: every run of the tenant's
 * active schedules from now to `days` ahead, soonest first, on the same slot engine as the dispatcher.
 */
export async function upcomingRuns(ownerId: string, query: UpcomingQuery, now = new Date()): Promise<UpcomingDto> {
  const schedules = await forTenant(ownerId).scheduledReview.findMany({
    where: { isActive: true },
    select: { id: true, name: true, cron: true, timezone: true },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  return upcomingOf(schedules, query, now);
}

type ScheduleTiming = { id: string; name: string; cron: string; timezone: string };

/** The merge itself (pure): each schedule's runs in the window, soonest first, at most `limit` in all. */
export function upcomingOf(schedules: ScheduleTiming[], query: UpcomingQuery, now: Date): UpcomingDto {
  const until = new Date(now.getTime() + query.days * DAY_MS);
  const runs: UpcomingRunDto[] = [];
  let truncated = false;
  for (const s of schedules) {
    let slots;
    try {
      // One more than the limit tells a full window from a cut one.
      slots = runsBetween(s.cron, s.timezone, now, until, query.limit + 1);
    } catch (err) {
      // A row the engine cannot read must not hide every other schedule's runs.
      log.warn({ err, scheduleId: s.id }, "upcoming: schedule skipped");
      continue;
    }
    if (slots.length > query.limit) truncated = true;
    for (const slot of slots.slice(0, query.limit))
      runs.push({ ...slot, schedule_id: s.id, schedule_name: s.name, schedule: s.cron, timezone: s.timezone });
  }
  runs.sort((a, b) => a.utc.localeCompare(b.utc) || a.schedule_name.localeCompare(b.schedule_name));
  if (runs.length > query.limit) truncated = true;
  return { from: now.toISOString(), until: until.toISOString(), data: runs.slice(0, query.limit), truncated };
}

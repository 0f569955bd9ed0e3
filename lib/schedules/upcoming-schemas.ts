import { z } from "zod";
import { queryInt, runPreviewSchema } from "@/lib/schedules/schemas";

// GET /api/scheduled-reviews/upcoming: the tenant's runs due in the next days, across every active schedule.

export const UPCOMING_DAYS = 7;
export const UPCOMING_LIMIT = 100;

export const upcomingQuerySchema = z.strictObject({
  days: queryInt(1, 31).default(UPCOMING_DAYS).meta({ description: `How many days ahead (default ${UPCOMING_DAYS})` }),
  limit: queryInt(1, 500).default(UPCOMING_LIMIT).meta({ description: `At most this many runs, soonest first (default ${UPCOMING_LIMIT})` }),
});
export type UpcomingQuery = z.infer<typeof upcomingQuerySchema>;

export const upcomingRunSchema = runPreviewSchema.extend({
  schedule_id: z.string(),
  schedule_name: z.string(),
  /** the schedule's cron and zone: `at` and `local` are in this zone */
  schedule: z.string(),
  timezone: z.string(),
});

export const upcomingSchema = z.object({
  from: z.string(),
  until: z.string(),
  /** runs in [from, until], soonest first; dst marks a run that a DST change moved or shifted */
  data: z.array(upcomingRunSchema),
  /** more runs fall in the window than `limit` allowed */
  truncated: z.boolean(),
});
export type UpcomingDto = z.infer<typeof upcomingSchema>;
export type UpcomingRunDto = z.infer<typeof upcomingRunSchema>;

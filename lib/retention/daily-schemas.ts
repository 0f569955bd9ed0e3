import { z } from "zod";
import { RESOURCE_ID } from "@/lib/format";
import { queryInt } from "@/lib/schedules/schemas";

// GET /api/monitoring/daily: runs per UTC day over long ranges, from the retained runs and, for days
// whose runs were pruned, from the daily aggregates kept in their place.

export const dailyQuerySchema = z.strictObject({
  days: queryInt(1, 730).default(90).describe("days back from today (UTC), today included"),
  schedule_id: z.string().regex(RESOURCE_ID, "not an id").optional().describe("only this schedule"),
});
export type DailyQuery = z.infer<typeof dailyQuerySchema>;

export const dailyPointSchema = z.object({
  day: z.string().describe("YYYY-MM-DD (UTC)"),
  total: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  mean_health_score: z.number().nullable(),
  mean_duration_ms: z.number().int().nullable().describe("mean run duration (runs with a duration); null: none"),
  duration_p50_ms: z.number().int().nullable().describe("median run duration"),
  duration_p95_ms: z.number().int().nullable().describe("95th percentile run duration"),
  duration_max_ms: z.number().int().nullable(),
  duration_exact: z.boolean().describe(
    "true: the percentiles are exact (one schedule's pruned day, or retained runs only); false: the day combines several schedules' stored percentiles, weighted by their runs",
  ),
  source: z.enum(["runs", "aggregate", "both"]).describe("aggregate: the day's runs were pruned by retention"),
});
export const dailySchema = z.object({ days: z.array(dailyPointSchema) });
export type DailyDto = z.infer<typeof dailySchema>;

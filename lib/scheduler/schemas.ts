import { z } from "zod";

// Public contract of GET /api/scheduler/status (snake_case JSON), shared by the route, the OpenAPI
// document and client components; no server imports, so the browser bundle can use it.

/** The dispatcher ticks every minute: no tick for this long means it is not running. */
export const RUNNING_WITHIN_MS = 2 * 60_000;
export const NEXT_RUNS = 5;

const instant = z.iso.datetime();

export const schedulerStatusSchema = z.object({
  running: z.boolean().describe(`a dispatcher tick started within the last ${RUNNING_WITHIN_MS / 60_000} minutes`),
  last_tick_at: instant.nullable().describe("start of the latest dispatcher tick"),
  last_success_at: instant.nullable().describe("start of the latest dispatcher tick that succeeded"),
  consecutive_failures: z.int().nonnegative().describe("failed dispatcher ticks since the last successful one"),
  last_tick: z
    .object({
      outcome: z.enum(["running", "success", "failure"]),
      due: z.int().nonnegative(),
      dispatched: z.int().nonnegative(),
      skipped: z.int().nonnegative(),
      missed: z.int().nonnegative(),
      duration_ms: z.int().nonnegative().nullable().describe("null while the tick is running"),
    })
    .nullable()
    .describe("the latest dispatcher tick; null before the first"),
  last_reconcile_at: instant.nullable().describe("start of the latest stuck-run reconciler pass"),
  active_schedules: z.int().nonnegative().describe("the tenant's active schedules"),
  next_runs: z
    .array(z.object({ schedule_id: z.string(), schedule_name: z.string(), next_run_at: instant }))
    .max(NEXT_RUNS)
    .describe(`the tenant's next ${NEXT_RUNS} scheduled runs, soonest first (a slot already due is listed until dispatched)`),
  stuck_runs: z.int().nonnegative().describe("the tenant's runs queued over 10 minutes or running over 30 minutes"),
});
export type SchedulerStatusDto = z.infer<typeof schedulerStatusSchema>;

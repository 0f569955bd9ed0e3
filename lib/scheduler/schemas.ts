import { z } from "zod";

// Public contract of GET /api/scheduler/status (snake_case JSON), shared by the route, the OpenAPI
// document and client components; no server imports, so the browser bundle can use it.
// The heartbeat (ticks, durations, outcomes) is platform health and is shown to every tenant; what
// the ticks did (due, dispatched, skipped, missed) adds up every tenant's work and is not.

/** The dispatcher ticks every minute: no tick for this long means it is not running. */
export const RUNNING_WITHIN_MS = 2 * 60_000;
export const NEXT_RUNS = 5;
/** Hours of the ticks-per-hour chart, the current (partial) UTC hour last. */
export const TICK_HOURS = 24;
export const MISSED_LISTED = 50;
export const SCHEDULER_DOWN_REASON = "not run: scheduler down";

const instant = z.iso.datetime();
const count = z.int().nonnegative();

export const schedulerStatusSchema = z.object({
  running: z.boolean().describe(`a dispatcher tick started within the last ${RUNNING_WITHIN_MS / 60_000} minutes`),
  last_tick_at: instant.nullable().describe("start of the latest dispatcher tick"),
  last_success_at: instant.nullable().describe("start of the latest dispatcher tick that succeeded"),
  consecutive_failures: count.describe("failed dispatcher ticks since the last successful one (a tick whose process died counts once it is over 3 minutes old)"),
  last_tick: z
    .object({
      outcome: z.enum(["running", "success", "failure", "timed_out"]).describe("timed_out: still open after 3 minutes, its process died"),
      started_at: instant,
      duration_ms: count.nullable().describe("null while the tick is open"),
    })
    .nullable()
    .describe("the latest dispatcher tick; null before the first"),
  ticks_per_hour: z
    .array(
      z.object({
        hour: instant.describe("start of the UTC hour"),
        ticks: count,
        failures: count.describe("ticks that failed or timed out"),
        p50_ms: count.nullable().describe("median duration of the hour's finished ticks"),
        max_ms: count.nullable(),
      }),
    )
    .length(TICK_HOURS)
    .describe(`dispatcher ticks in each of the last ${TICK_HOURS} UTC hours, oldest first (the current hour is partial)`),
  down_periods: z
    .array(z.object({ from: instant, to: instant.nullable().describe("the tick that ended the silence; null while it lasts") }))
    .describe(`silences of the dispatcher over ${RUNNING_WITHIN_MS / 60_000} minutes in the chart's window`),
  missed_while_down: z
    .object({
      reason: z.literal(SCHEDULER_DOWN_REASON),
      window_from: instant,
      window_to: instant,
      count: count.describe("the tenant's slots due while the dispatcher was silent that have no run"),
      slots: z
        .array(z.object({ schedule_id: z.string(), schedule_name: z.string(), due_at: instant }))
        .max(MISSED_LISTED)
        .describe(`the latest ${MISSED_LISTED} of them, newest first`),
    })
    .describe("runs the scheduler owed the tenant while it was down: the scheduler's failure, not the schedule's"),
  last_reconcile_at: instant.nullable().describe("start of the latest stuck-run reconciler pass"),
  active_schedules: count.describe("the tenant's active schedules"),
  jobs_count: count.describe("the same as active_schedules (the scheduler guide's name)"),
  next_runs: z
    .array(z.object({ schedule_id: z.string(), schedule_name: z.string(), next_run_at: instant }))
    .max(NEXT_RUNS)
    .describe(`the tenant's next ${NEXT_RUNS} scheduled runs, soonest first (a slot already due is listed until dispatched)`),
  stuck_runs: count.describe("the tenant's runs queued over 10 minutes or running over 30 minutes"),
});
export type SchedulerStatusDto = z.infer<typeof schedulerStatusSchema>;

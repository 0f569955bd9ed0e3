import { z } from "zod";
import { RESOURCE_ID } from "@/lib/format";

// The contract of the monitoring API (/api/monitoring, /api/monitoring/coverage): zod schemas that the
// routes parse with and the OpenAPI document is generated from. Durations are milliseconds.

export const WINDOWS = { "24h": 24, "7d": 7 * 24, "30d": 30 * 24 } as const satisfies Record<string, number>;
export type WindowName = keyof typeof WINDOWS;
const windowSchema = z.enum(Object.keys(WINDOWS) as [WindowName, ...WindowName[]]);
const id = z.string().regex(RESOURCE_ID, "not an id");

export const monitoringQuerySchema = z.strictObject({
  window: windowSchema.default("24h").describe("24h, 7d or 30d, ending now"),
  schedule_id: id.optional().describe("only this schedule"),
});
export type MonitoringQuery = z.infer<typeof monitoringQuerySchema>;

const percentiles = z.object({ p50: z.number().nullable(), p95: z.number().nullable(), max: z.number().nullable() });
const channelStats = z.object({ sent: z.number(), failed: z.number(), rate: z.number().nullable() });

export const monitoringSchema = z.object({
  window: windowSchema,
  from: z.string(),
  to: z.string(),
  schedule_id: z.string().nullable(),
  runs: z.object({ total: z.number(), completed: z.number(), failed: z.number(), skipped: z.number(), queued: z.number(), running: z.number() }),
  success_rate: z.number().nullable().describe("completed / (completed + failed); null without finished runs"),
  duration_ms: z.object({ queued_to_completed: percentiles, started_to_completed: percentiles }),
  delivery: z.object({ email: channelStats, slack: channelStats }),
  error_groups: z.array(
    z.object({
      code: z.string(),
      count: z.number(),
      last_seen: z.string().nullable(),
      example_message: z.string().nullable(),
      schedules: z.array(z.object({ id: z.string(), name: z.string() })),
    }),
  ),
  backlog: z.object({ queued: z.number(), oldest_queued_age_ms: z.number().nullable() }),
  trend: z.object({
    direction: z.enum(["increasing", "decreasing", "stable"]),
    earlier_failure_rate: z.number().nullable(),
    later_failure_rate: z.number().nullable(),
    definition: z.string(),
  }),
  slots: z.object({
    missed: z.number().describe("slots collapsed into a catch-up run after downtime (not run)"),
    skipped: z.number().describe("slots skipped because the previous run was still going (overlap)"),
  }),
  series: z.array(
    z.object({
      at: z.string().describe("bucket start (hour for 24h, day otherwise)"),
      completed: z.number(),
      failed: z.number(),
      skipped: z.number(),
      success_rate: z.number().nullable(),
      p50_ms: z.number().nullable(),
      p95_ms: z.number().nullable(),
    }),
  ),
  schedules: z.array(
    z.object({ id: z.string(), name: z.string(), runs: z.number(), failed: z.number(), success_rate: z.number().nullable(), p95_ms: z.number().nullable() }),
  ),
});
export type MonitoringDto = z.infer<typeof monitoringSchema>;

const MAX_COVERAGE_DAYS = 31;
// Postgres has no year 0 and nothing here is older than the product: a plausible range only.
const instant = z.iso
  .datetime({ offset: true })
  .transform((s) => new Date(s))
  .refine((d) => d.getUTCFullYear() >= 2000 && d.getUTCFullYear() <= 9999, { message: "must be between the years 2000 and 9999" });

/** The window's fields as clients send them (also what the OpenAPI documents). */
export const coverageRangeFields = z.strictObject({
  from: instant.optional().describe("ISO 8601; default 24 h before `to`"),
  to: instant.optional().describe("ISO 8601; default now"),
});

export const coverageRangeSchema = coverageRangeFields
  .transform(({ from, to }) => {
    const end = to ?? new Date();
    return { from: from ?? new Date(end.getTime() - 24 * 3_600_000), to: end };
  })
  .refine(({ from, to }) => from < to, { message: "from must be before to", path: ["from"] })
  .refine(({ from, to }) => to.getTime() - from.getTime() <= MAX_COVERAGE_DAYS * 86_400_000, {
    message: `at most ${MAX_COVERAGE_DAYS} days`,
    path: ["to"],
  });
export type CoverageRange = z.infer<typeof coverageRangeSchema>;

const missingSlot = z.object({
  schedule_id: z.string(),
  schedule_name: z.string(),
  owner_id: z.string(),
  slot: z.string(),
  reason: z.enum(["not_run", "scheduler_down", "failed", "skipped", "collapsed"]).describe(
    "not_run: no run for the slot; scheduler_down: no dispatcher tick ran near the slot; failed: its run failed; skipped: overlap; " +
      "collapsed: missed during downtime and folded into the one catch-up run after it (the catch-up policy), so never repaired",
  ),
});

export const coverageSchema = z.object({
  from: z.string(),
  to: z.string(),
  expected: z.number().describe("slots due in the window (up to 5 minutes ago) over active schedules"),
  completed: z.number(),
  pending: z.number().describe("slots whose run is still queued or running"),
  coverage_pct: z.number().nullable().describe("completed / (expected - pending) x 100; null when nothing was due"),
  status: z.enum(["HEALTHY", "NEEDS_ATTENTION"]).describe("HEALTHY at >= 95 %"),
  missing_count: z.number(),
  missing: z.array(missingSlot).describe("at most 500, oldest first"),
  schedules: z.array(
    z.object({ id: z.string(), name: z.string(), expected: z.number(), completed: z.number(), coverage_pct: z.number().nullable() }),
  ),
});
export type CoverageDto = z.infer<typeof coverageSchema>;

export const repairResultSchema = z.object({
  enqueued: z.number().describe("repair runs queued now (at most 100 per call)"),
  already_present: z.number().describe("missing slots another repair queued first"),
  skipped_by_policy: z.number().describe("slots of schedules whose catch-up policy is skip"),
  remaining: z.number().describe("missing slots beyond this call's bound: call again"),
  run_ids: z.array(z.string()),
});
export type RepairResultDto = z.infer<typeof repairResultSchema>;

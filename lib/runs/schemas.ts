import { z } from "zod";
import { queryInt, RUN_STATUSES, RUN_TRIGGERS } from "@/lib/schedules/schemas";

// Public contract for runs (snake_case JSON), shared by the API, OpenAPI and the pages.

export const deliverySchema = z.object({
  id: z.string(),
  channel: z.enum(["email", "slack"]),
  /** masked target: recipients' domains or the webhook's last characters */
  target: z.string(),
  status: z.enum(["pending", "sent", "failed", "skipped"]),
  provider_message_id: z.string().nullable(),
  attempts: z.number(),
  error_code: z.string().nullable(),
  error_message: z.string().nullable(),
  sent_at: z.string().nullable(),
});

export const runSchema = z.object({
  id: z.string(),
  schedule_id: z.string(),
  schedule_name: z.string(),
  status: z.enum(RUN_STATUSES),
  trigger: z.enum(RUN_TRIGGERS),
  scheduled_for: z.string(),
  queued_at: z.string(),
  started_at: z.string().nullable(),
  completed_at: z.string().nullable(),
  duration_ms: z.number().nullable(),
  deals_analyzed: z.number().nullable(),
  health_score: z.number().nullable(),
  issues_found: z.number().nullable(),
  high_risk_deals: z.number().nullable(),
  analysis_id: z.string().nullable(),
  error_code: z.string().nullable(),
  error_message: z.string().nullable(),
  retry_count: z.number(),
  missed_slots: z.number(),
  inngest_run_id: z.string().nullable(),
  /** the run in the Inngest dashboard (Dev Server locally, Inngest Cloud in production) */
  dashboard_url: z.string().nullable(),
  deliveries: z.array(deliverySchema),
});
export type RunDto = z.infer<typeof runSchema>;

export const runListQuerySchema = z.strictObject({
  status: z.enum(RUN_STATUSES).optional(),
  cursor: z.string().max(64).optional(),
  limit: queryInt(1, 100).default(20),
});

export const runListSchema = z.object({ data: z.array(runSchema), next_cursor: z.string().nullable() });
/** POST .../run-now: the queued run. */
export const runNowResultSchema = z.object({ run: runSchema });

/** One point of the schedule charts: a completed run's health score and duration. */
export const healthPointSchema = z.object({
  run_id: z.string(),
  at: z.string(),
  health_score: z.number().nullable(),
  duration_ms: z.number().nullable(),
});
export type HealthPoint = z.infer<typeof healthPointSchema>;

/** Pure, so the server (first render) and the browser (refreshes) derive the same series. */
export function toHealthPoints(runs: readonly RunDto[]): HealthPoint[] {
  return runs
    .filter((r) => r.status === "completed")
    .map((r) => ({ run_id: r.id, at: r.completed_at ?? r.scheduled_for, health_score: r.health_score, duration_ms: r.duration_ms }))
    .reverse();
}

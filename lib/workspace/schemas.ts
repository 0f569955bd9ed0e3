import { z } from "zod";
import { MIN_RUN_RETENTION_DAYS, PLANS } from "@/lib/plans";
import { ROLES } from "@/lib/roles";

// GET/PATCH /api/workspace: the plan's limits, what the workspace uses of them, and its retention.

export const workspaceSchema = z.object({
  owner_id: z.string(),
  plan: z.enum(PLANS),
  role: z.enum(ROLES),
  limits: z.object({
    max_schedules: z.number().int(),
    min_interval_minutes: z.number().int(),
    max_run_retention_days: z.number().int(),
  }),
  usage: z.object({ schedules: z.number().int() }),
  run_retention_days: z.number().int().describe("runs, analyses and deliveries older than this are pruned daily (kept as daily aggregates)"),
  tick_retention_days: z.number().int(),
});
export type WorkspaceDto = z.infer<typeof workspaceSchema>;

export { MIN_RUN_RETENTION_DAYS };
export const updateWorkspaceSchema = z.strictObject({
  run_retention_days: z.number().int().min(MIN_RUN_RETENTION_DAYS, `At least ${MIN_RUN_RETENTION_DAYS} days (the monitoring windows)`).max(730),
});
export type UpdateWorkspaceInput = z.infer<typeof updateWorkspaceSchema>;

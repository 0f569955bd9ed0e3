import { iso, lower } from "@/lib/format";
import type { ExecutionLog } from "@/lib/generated/prisma/client";
import type { ExecutionDto } from "@/lib/monitors/schemas";

const STATUS = { RUNNING: "running", SUCCESS: "success", FAILURE: "failed", PARTIAL: "partial" } as const;
export const executionStatus = (s: ExecutionLog["status"]) => STATUS[s] ?? lower(s);

export function executionDto(e: ExecutionLog): ExecutionDto {
  return {
    id: e.id,
    run_id: e.externalId,
    status: executionStatus(e.status) as ExecutionDto["status"],
    started_at: iso(e.startedAt),
    finished_at: iso(e.finishedAt),
    duration_ms: e.durationMs,
    workflow_name: e.workflowName,
    failed_action_id: e.failedActionId,
    failed_action_name: e.failedActionName,
    error_message: e.message,
    received_at: e.createdAt.toISOString(),
  };
}

import type { Delivery, ReviewRun } from "@/lib/generated/prisma/client";
import { runDashboardUrl } from "@/lib/executor";
import { iso, lower } from "@/lib/format";
import type { RunDto } from "@/lib/runs/schemas";

type DeliveryView = Pick<Delivery, "id" | "channel" | "target" | "status" | "providerMessageId" | "attempts" | "errorCode" | "errorMessage" | "sentAt">;
export type RunWithRelations = ReviewRun & { deliveries?: DeliveryView[]; scheduledReview?: { name: string } | null };

/** The one place a run becomes public JSON: the API, run-now and the pages all use it. */
export function serializeRun(run: RunWithRelations): RunDto {
  return {
    id: run.id,
    schedule_id: run.scheduledReviewId,
    schedule_name: run.scheduledReview?.name ?? "",
    status: lower(run.status),
    trigger: lower(run.trigger),
    scheduled_for: run.scheduledFor.toISOString(),
    queued_at: run.queuedAt.toISOString(),
    started_at: iso(run.startedAt),
    completed_at: iso(run.completedAt),
    duration_ms: run.durationMs,
    deals_analyzed: run.dealsAnalyzed,
    health_score: run.healthScore,
    issues_found: run.issuesFound,
    high_risk_deals: run.highRiskDeals,
    analysis_id: run.analysisId,
    error_code: run.errorCode,
    error_message: run.errorMessage,
    retry_count: run.retryCount,
    missed_slots: run.missedSlots,
    inngest_run_id: run.inngestRunId,
    dashboard_url: run.inngestRunId ? runDashboardUrl(run.inngestRunId) : null,
    deliveries: (run.deliveries ?? []).map((d) => ({
      id: d.id,
      channel: lower(d.channel),
      target: d.target,
      status: lower(d.status),
      provider_message_id: d.providerMessageId,
      attempts: d.attempts,
      error_code: d.errorCode,
      error_message: d.errorMessage,
      sent_at: iso(d.sentAt),
    })),
  };
}

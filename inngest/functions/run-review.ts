import { inngest } from "@/inngest/client";
import { crmConnectionExpired, reviewRunCompleted, reviewRunRequested } from "@/inngest/events";
import { expiredConnectionOfRun } from "@/lib/crm/tokens";
import { deliverChannel } from "@/lib/delivery/deliver";
import { analyseRun } from "@/lib/runs/analyse";
import { completeRun, failRunFromError, markRunning, recordMetrics, runFailedEvent } from "@/lib/runs/lifecycle";

// One review run: mark running -> analyse (CRM fetch + rules, stored in Postgres) -> record metrics
// -> one delivery step per configured channel -> complete. Steps return ids and counts only.
export const RUN_REVIEW_RETRIES = 3;

export const runReview = inngest.createFunction(
  {
    id: "run-review",
    name: "Run a pipeline review",
    triggers: [reviewRunRequested],
    retries: RUN_REVIEW_RETRIES,
    // A tenant's reviews share its CRM's API quota: at most two at a time per owner.
    concurrency: [{ key: "event.data.ownerId", limit: 2 }],
    // Inngest cancels a run before the reconciler (30 min) would call it stuck and fail its row.
    timeouts: { finish: "25m" },
    onFailure: async ({ event, error, step }) => {
      const { runId } = event.data.event.data;
      const failed = await step.run("mark-failed", () => failRunFromError({ runId, error, inngestRunId: event.data.run_id }));
      if (failed) await step.sendEvent("send-failed-event", runFailedEvent(failed));
      // A dead CRM authorization is the user's to fix: the alerts work tells them (crm/connection.expired).
      if (failed?.errorCode === "crm_auth_expired") {
        const expired = await step.run("find-expired-connection", () => expiredConnectionOfRun(runId));
        if (expired) await step.sendEvent("send-connection-expired", crmConnectionExpired.create(expired.data, { id: expired.id }));
      }
      return { runId, failed: failed !== null };
    },
  },
  async ({ event, step, runId: inngestRunId, attempt, maxAttempts }) => {
    const { runId } = event.data;
    const start = await step.run("mark-running", () => markRunning({ runId, inngestRunId, eventId: event.id, attempt }));
    if (!start.proceed) return start;

    const metrics = await step.run("analyse", () => analyseRun({ runId, inngestRunId, attempt }));
    await step.run("record-metrics", () => recordMetrics({ runId, metrics, attempt }));

    const deliveries: Record<string, string> = {};
    for (const channel of start.channels) {
      const delivered = await step.run(`deliver-${channel.toLowerCase()}`, () =>
        deliverChannel({ runId, channel, inngestRunId, attempt, maxAttempts: maxAttempts ?? RUN_REVIEW_RETRIES + 1 }),
      );
      deliveries[channel.toLowerCase()] = delivered.status;
    }

    const done = await step.run("complete", () => completeRun({ runId, attempt }));
    await step.sendEvent(
      "send-completed-event",
      // The completion's own id: a retried request that sent it already is dropped by Inngest.
      reviewRunCompleted.create({ runId, scheduleId: done.scheduleId, ownerId: done.ownerId, healthScore: done.healthScore }, { id: `${runId}:completed:${inngestRunId}` }),
    );
    return { runId, status: "completed" as const, healthScore: done.healthScore, durationMs: done.durationMs, deliveries };
  },
);

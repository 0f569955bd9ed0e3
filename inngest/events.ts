import { eventType, staticSchema } from "inngest";

// Typed events. Event ids are run ids, so Inngest's event-id dedup makes fan-out idempotent.
export const reviewRunRequested = eventType("review/run.requested", {
  schema: staticSchema<{ runId: string; scheduleId: string; ownerId: string }>(),
});

export const reviewRunFailed = eventType("review/run.failed", {
  schema: staticSchema<{ runId: string; scheduleId: string; ownerId: string; errorCode: string; errorMessage: string }>(),
});

export const reviewRunCompleted = eventType("review/run.completed", {
  schema: staticSchema<{ runId: string; scheduleId: string; ownerId: string; healthScore: number | null }>(),
});

// A CRM connection's refresh token stopped working (revoked, expired): the user must reconnect it.
// Id per connection and expiry (lib/crm/tokens.ts), so every sender of one expiry announces it once.
export const crmConnectionExpired = eventType("crm/connection.expired", {
  schema: staticSchema<{ ownerId: string; connectionId: string; provider: string; reason: string }>(),
});

/** An external job reported a finished execution (event id = execution + status): the alert rules run after it. */
export const monitorExecutionRecorded = eventType("monitor/execution.recorded", {
  schema: staticSchema<{ ownerId: string; monitorId: string; executionId: string }>(),
});

/** The hourly coverage postcheck finished (event id = its instant): alert rules on coverage run after it. */
export const postcheckCompleted = eventType("monitoring/postcheck.completed", {
  schema: staticSchema<{ at: string }>(),
});

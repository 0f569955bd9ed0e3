import "server-only";
import { NonRetriableError } from "inngest";

// Domain errors, independent of HTTP: lib code throws these; lib/http.ts alone maps a code to a
// status, and the OpenAPI document lists each operation's possible codes from the same table.

/** The closed set of error codes the API answers with, each with what it means. */
export const ERROR_CODES = {
  validation_error: "The input is invalid (details lists each problem field); nothing was written",
  invalid_json: "The body is not valid JSON",
  invalid_body: "The body must be a JSON object",
  invalid_cursor: "The cursor is not one this API returned",
  unauthorized: "Missing, expired or invalid Bearer token",
  plan_required: "Needs the Team plan or higher; nothing was written",
  forbidden: "Your organization role does not allow this (the message names the role needed); nothing was written",
  plan_limit: "The plan's limit would be exceeded (details: plan, limit, current); nothing was written",
  not_found: "No such resource for this tenant (another tenant's id answers the same)",
  method_not_allowed: "The path exists but not with this HTTP method (the Allow header lists the ones it has)",
  conflict: "The resource changed while it was being updated; read it again and retry",
  run_in_progress: "A run of this schedule is already queued or running (details.run_id)",
  run_not_failed: "Only a failed run can be replayed (details.status is the run's status)",
  idempotency_key_reused: "The Idempotency-Key was already used with a different request in the last 24 hours; send a new key",
  payload_too_large: "The body is larger than the limit",
  unsupported_media_type: "The body is not application/json",
  rate_limited: "Too many requests; retry after details.retry_after_seconds",
  oauth_state_invalid: "The OAuth callback's state is unreadable, expired, already used, or another account's; start the connect again",
  crm_not_configured: "The server has no OAuth app for this CRM (details.missing lists the env vars to set)",
  connection_in_use: "Schedules still use this CRM connection (details.schedules lists them); move or delete them first",
  crm_unreachable: "The CRM could not be read just now (down, rate-limited, or the authorization expired: the message says which)",
  executor_unreachable: "The background job executor could not be reached; the run was marked failed",
  internal_error: "Unexpected server error (logged)",
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An expected failure: what went wrong, as a code from ERROR_CODES, and for whom to fix it. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const notFound = (what = "Resource") => new AppError("not_found", `${what} not found`);

/**
 * A background step's run row is gone (its schedule was deleted mid-run): nothing is left to do, and
 * Inngest must not retry. The one spelling of "the run is gone" for every step.
 */
export class RunGoneError extends NonRetriableError {
  readonly code = "run_deleted";
  constructor(runId: string) {
    super(`Run ${runId} no longer exists (its schedule was deleted)`);
    this.name = "RunGoneError";
  }
}

export const isNotFound = (err: unknown): boolean => err instanceof AppError && err.code === "not_found";

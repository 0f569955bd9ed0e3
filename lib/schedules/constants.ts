// Constants of the schedules contract that client components need without the zod schemas
// (lib/schedules/schemas.ts re-exports them): zod stays out of the pages' first-load JavaScript.

export const RUN_STATUSES = ["queued", "running", "completed", "failed", "skipped"] as const;
export const RUN_TRIGGERS = ["scheduled", "manual", "repair", "replay"] as const;
export const MAX_RECIPIENTS = 50;

/** Policies a schedule can set (the form needs them without zod). */
export const OVERLAP_POLICIES = ["skip", "buffer_one", "allow"] as const;
export const CATCH_UP_POLICIES = ["run_once", "skip"] as const;
export const DEFAULT_CATCH_UP_WINDOW_MINUTES = 24 * 60;
export const MAX_CATCH_UP_WINDOW_MINUTES = 30 * 24 * 60;
export const MAX_AUTO_PAUSE_AFTER_FAILURES = 100;

/** The longest pause note a schedule keeps. */
export const MAX_PAUSE_NOTE = 500;

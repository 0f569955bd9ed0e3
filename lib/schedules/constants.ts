// Constants of the schedules contract that client components need without the zod schemas
// (lib/schedules/schemas.ts re-exports them): zod stays out of the pages' first-load JavaScript.

export const RUN_STATUSES = ["queued", "running", "completed", "failed", "skipped"] as const;
export const RUN_TRIGGERS = ["scheduled", "manual", "repair", "replay"] as const;
export const MAX_RECIPIENTS = 50;

/** The longest pause note a schedule keeps. */
export const MAX_PAUSE_NOTE = 500;

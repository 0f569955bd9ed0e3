import "server-only";
import type { Tenant } from "@/lib/auth";
import type { AuditEntry } from "@/lib/audit/record";
import { AppError } from "@/lib/errors";
import type { UpdateScheduleInput } from "@/lib/schedules/schemas";

// Pausing with a note (Temporal's pause note): PATCH is_active false records who paused, why and until
// when; the resume cron (lib/schedules/resume.ts) re-activates at resume_at. Resuming clears all of it.

type Current = { isActive: boolean; name: string; pauseNote: string | null; resumeAt: Date | null };

const pauseGiven = (input: UpdateScheduleInput) => input.pause_note !== undefined || input.resume_at !== undefined;

function invalid(path: string, message: string) {
  return new AppError("validation_error", "The request is invalid", [{ path, message, code: "custom" }]);
}

/**
 * The PATCH as it applies: on a schedule that stays active, pause_note / resume_at null are what it
 * already has, so they are dropped (nothing written, no audit row for them).
 */
export function effectivePatch(input: UpdateScheduleInput, current: Pick<Current, "isActive">): UpdateScheduleInput {
  if (!(input.is_active ?? current.isActive)) return input;
  const { pause_note, resume_at, ...rest } = input;
  return { ...rest, ...(pause_note != null ? { pause_note } : {}), ...(resume_at != null ? { resume_at } : {}) };
}

/** Nothing left to write (every field absent). */
export const isEmptyPatch = (input: UpdateScheduleInput) => Object.values(input).every((v) => v === undefined);

/** The pause columns a PATCH writes (none when it neither pauses, resumes nor edits the pause). */
export function pauseColumns(tenant: Tenant, input: UpdateScheduleInput, current: Current, now: Date) {
  const isActive = input.is_active ?? current.isActive;
  // On an active schedule, null (no note, no resume time) is what it already has: accepted, writes nothing.
  if (isActive) {
    const given = input.pause_note != null ? "pause_note" : input.resume_at != null ? "resume_at" : null;
    if (given) throw invalid(given, "pause_note and resume_at apply to a paused schedule: send them with is_active false");
    return current.isActive ? {} : { pausedAt: null, pausedBy: null, pauseNote: null, resumeAt: null };
  }
  const resumeAt: Date | null | undefined = input.resume_at === undefined || input.resume_at === null ? input.resume_at : new Date(input.resume_at);
  if (resumeAt && resumeAt.getTime() <= now.getTime()) throw invalid("resume_at", "resume_at must be in the future");
  if (current.isActive && !isActive)
    return { pausedAt: now, pausedBy: tenant.userId, pauseNote: input.pause_note ?? null, resumeAt: resumeAt ?? null };
  return { pauseNote: input.pause_note, resumeAt };
}

/** A PATCH that edits the pause must still find the schedule paused (compare-and-set with the read). */
export function pauseGuard(input: UpdateScheduleInput, current: Current) {
  return pauseGiven(input) ? { isActive: current.isActive } : {};
}

const when = (d: Date | null) => (d ? `, resumes ${d.toISOString()}` : "");

/** The audit row of a PATCH: a pause, a resume, or a change listing the fields it touched (never their secrets). */
export function updateAudit(tenant: Tenant, input: UpdateScheduleInput, before: Current, after: Current & { id: string }): AuditEntry {
  const fields = Object.keys(input).filter((k) => input[k as keyof UpdateScheduleInput] !== undefined);
  const base = { ownerId: tenant.ownerId, actorId: tenant.userId, targetType: "schedule" as const, targetId: after.id, scheduleId: after.id, details: { fields } };
  if (before.isActive && !after.isActive)
    return { ...base, action: "schedule.paused", summary: `Paused "${after.name}"${after.pauseNote ? `: ${after.pauseNote}` : ""}${when(after.resumeAt)}` };
  if (!before.isActive && after.isActive) return { ...base, action: "schedule.resumed", summary: `Resumed "${after.name}"` };
  return { ...base, action: "schedule.updated", summary: `Changed ${fields.join(", ") || "nothing"} of "${after.name}"` };
}

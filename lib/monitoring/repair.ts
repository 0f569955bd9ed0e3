import { systemDb } from "@/lib/db";
import { computeCoverage } from "@/lib/monitoring/coverage";
import type { CoverageRange, RepairResultDto } from "@/lib/monitoring/schemas";
import { handOverRuns } from "@/lib/runs/hand-over";

// Coverage repair: one run (trigger repair) per slot that has no run at all, for schedules whose
// catch-up policy allows running late. Idempotent on the slot: the unique (schedule, slot) index
// admits one run however many repairs race, and only the runs a call inserted are sent.

export const MAX_REPAIR_PER_CALL = 100;

export async function repairCoverage(ownerId: string, range: CoverageRange, now = new Date()): Promise<RepairResultDto> {
  const { missing } = await computeCoverage(ownerId, range, now);
  // A failed or skipped slot has its run already: replaying it is the run page's Replay.
  const absent = missing.filter((m) => m.reason === "not_run" || m.reason === "scheduler_down");
  const allowed = absent.filter((m) => m.catchUpPolicy !== "SKIP");
  const batch = allowed.slice(0, MAX_REPAIR_PER_CALL);
  const inserted = batch.length
    ? await systemDb().reviewRun.createManyAndReturn({
        data: batch.map((m) => ({ scheduledReviewId: m.scheduleId, ownerId: m.ownerId, trigger: "REPAIR" as const, scheduledFor: m.slot, queuedAt: now })),
        skipDuplicates: true,
        select: { id: true, scheduledReviewId: true, ownerId: true },
      })
    : [];
  // Never left queued without an event: failed at once (executor_unreachable) like run-now.
  await handOverRuns(inserted, (r) => r.id, "coverage repair");
  return {
    enqueued: inserted.length,
    already_present: batch.length - inserted.length,
    skipped_by_policy: absent.length - allowed.length,
    remaining: allowed.length - batch.length,
    run_ids: inserted.map((r) => r.id),
  };
}

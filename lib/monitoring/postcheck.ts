import { computeCoverage } from "@/lib/monitoring/coverage";
import type { TickCounts } from "@/lib/scheduler/ticks";

// The coverage postcheck run by the scheduler (every hour): the last 24 h of every tenant's active
// schedules, stored as a POSTCHECK tick with its result, so coverage has a history of its own.

export const POSTCHECK_WINDOW_MS = 24 * 3_600_000;
const OWNERS_KEPT = 20;

export async function runPostcheck(now = new Date()): Promise<{ counts: TickCounts; details: Record<string, unknown> }> {
  const { dto, missing } = await computeCoverage(null, { from: new Date(now.getTime() - POSTCHECK_WINDOW_MS), to: now }, now);
  const byOwner = new Map<string, number>();
  for (const m of missing) byOwner.set(m.ownerId, (byOwner.get(m.ownerId) ?? 0) + 1);
  const reasons = (r: string) => missing.filter((m) => m.reason === r).length;
  return {
    counts: { due: dto.expected, dispatched: dto.completed, skipped: reasons("skipped"), missed: reasons("not_run") + reasons("scheduler_down"), failed: reasons("failed") },
    details: {
      window: { from: dto.from, to: dto.to },
      coverage_pct: dto.coverage_pct,
      status: dto.status,
      pending: dto.pending,
      scheduler_down: reasons("scheduler_down"),
      // Operators see whose schedules missed slots; tenants only ever see their own coverage.
      missing_by_owner: [...byOwner].sort((a, b) => b[1] - a[1]).slice(0, OWNERS_KEPT).map(([owner_id, missing]) => ({ owner_id, missing })),
    },
  };
}

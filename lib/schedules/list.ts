import "server-only";
import { decodeCursor, encodeCursor, ownerPageSql, type CursorKey } from "@/lib/cursor";
import { forTenant } from "@/lib/db";
import { lastRuns } from "@/lib/schedules/last-run";
import type { ScheduleDto } from "@/lib/schedules/schemas";
import { scheduleInclude, serializeSchedule } from "@/lib/schedules/serialize";

// The schedule list, newest first, keyset-paged like run history: one page of keys on
// ("ownerId", "createdAt" DESC, id DESC), the rows by id, each schedule's latest run by one index lookup.

export const SCHEDULE_PAGE_DEFAULT = 50;

/** One page of a tenant's schedule keys (the row-value cursor an index condition). */
export const schedulePageSql = (ownerId: string, after: CursorKey | null, take: number) => ownerPageSql("ScheduledReview", ownerId, after, take);

export async function listSchedules(ownerId: string, opts: { cursor?: string; limit?: number } = {}): Promise<{ data: ScheduleDto[]; next_cursor: string | null }> {
  const tenantDb = forTenant(ownerId);
  const limit = opts.limit ?? SCHEDULE_PAGE_DEFAULT;
  const after = opts.cursor ? decodeCursor(opts.cursor) : null;
  // Raw SQL is not scoped: the query filters by "ownerId" itself.
  const keys = await tenantDb.$queryRaw<CursorKey[]>(schedulePageSql(ownerId, after, limit + 1));
  const page = keys.slice(0, limit);
  const ids = page.map((k) => k.id);
  const [rows, last] = await Promise.all([
    tenantDb.scheduledReview.findMany({ where: { id: { in: ids } }, include: scheduleInclude }),
    lastRuns(tenantDb, ownerId, ids),
  ]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const now = new Date();
  const lastKey = page.at(-1);
  return {
    // A schedule deleted between the two reads is left out rather than failing the page.
    data: page.flatMap((k) => { const row = byId.get(k.id); return row ? [serializeSchedule(row, last.get(k.id) ?? null, now)] : []; }),
    next_cursor: keys.length > limit && lastKey ? encodeCursor(lastKey.createdAt, lastKey.id) : null,
  };
}

/** Every schedule's id and name, newest first (pickers): no runs, no time math. */
export async function scheduleNames(ownerId: string): Promise<{ id: string; name: string }[]> {
  return forTenant(ownerId).scheduledReview.findMany({ select: { id: true, name: true }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
}

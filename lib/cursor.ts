import "server-only";
import { Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";

// Keyset paging, newest first by (createdAt, id): run history, the audit trail, schedules and monitors.

/** Opaque to clients: the (createdAt, id) of the last row of a page. */
export function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(`${createdAt.getTime().toString(36)}.${id}`).toString("base64url");
}

const MAX_CURSOR_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [ms, id] = Buffer.from(cursor, "base64url").toString("utf8").split(".", 2);
  const time = parseInt(ms ?? "", 36);
  // A row's createdAt is never before 1970 or after 9999: outside that the date is not ours (and an
  // out-of-range Date would reach the database as an error, not as a filter).
  if (!id || !/^[0-9a-z]+$/.test(ms) || !(time >= 0 && time <= MAX_CURSOR_TIME) || !/^[\w-]{1,64}$/.test(id))
    throw new AppError("invalid_cursor", "The cursor is not one this API returned");
  return { createdAt: new Date(time), id };
}

export type CursorKey = { id: string; createdAt: Date };

/**
 * One page of a tenant's keys in `table`, newest first: on its ("ownerId", "createdAt" DESC, id DESC)
 * index the row-value cursor is an index condition, so a deep page costs what the first does
 * (tests/integration/list-plans.test.ts).
 */
export function ownerPageSql(table: "ScheduledReview" | "Monitor", ownerId: string, after: CursorKey | null, take: number) {
  return Prisma.sql`
    SELECT id, "createdAt" FROM ${Prisma.raw(`"${table}"`)}
    WHERE "ownerId" = ${ownerId}
      ${after ? Prisma.sql`AND ("createdAt", id) < (${after.createdAt.toISOString()}::timestamp(3), ${after.id})` : Prisma.empty}
    ORDER BY "createdAt" DESC, id DESC
    LIMIT ${take}`;
}

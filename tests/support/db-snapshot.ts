import { systemDb } from "@/lib/db";

// "Nothing was written": every table's row count and a checksum over its rows (updatedAt and every
// other column), compared before and after a batch of requests.

/** Request accounting, not data: a refused request still counts against its caller's rate limit. */
const NOT_DATA = /rate.?limit/i;

export type DbSnapshot = Record<string, { rows: number; checksum: string }>;

export async function snapshotDb(): Promise<DbSnapshot> {
  const db = systemDb();
  const tables = await db.$queryRaw<{ tablename: string }[]>`
    SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations' ORDER BY tablename`;
  const out: DbSnapshot = {};
  for (const { tablename } of tables.filter((t) => !NOT_DATA.test(t.tablename))) {
    const [row] = await db.$queryRawUnsafe<{ rows: number; checksum: string | null }[]>(
      `SELECT count(*)::int AS rows, md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))) AS checksum FROM "${tablename}" t`,
    );
    out[tablename] = { rows: row!.rows, checksum: row!.checksum ?? "" };
  }
  return out;
}

/** Tables whose rows differ between two snapshots (added, removed or changed), with both sides. */
export function changedTables(before: DbSnapshot, after: DbSnapshot) {
  return Object.keys({ ...before, ...after })
    .filter((t) => JSON.stringify(before[t]) !== JSON.stringify(after[t]))
    .map((t) => ({ table: t, before: before[t], after: after[t] }));
}

/** How many rows changed in all: added + removed, or at least 1 for a table whose checksum moved. */
export const rowsChanged = (changes: ReturnType<typeof changedTables>) =>
  changes.reduce((n, c) => n + Math.max(Math.abs((c.after?.rows ?? 0) - (c.before?.rows ?? 0)), 1), 0);

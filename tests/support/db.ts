import { systemDb } from "@/lib/db";

const isDeadlock = (err: unknown) => /40P01|deadlock detected/.test(String((err as Error)?.message ?? err));

/**
 * Empties every table: integration files start from nothing. The TRUNCATE locks every table at once, so
 * a transaction the app stack is still finishing from the previous test (an alert step, a pacing write)
 * can deadlock with it; Postgres then cancels one side, and this tries again.
 */
export async function resetDb() {
  const rows = await systemDb().$queryRaw<{ tablename: string }[]>`
    SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations'`;
  if (!rows.length) return;
  for (let attempt = 1; ; attempt++) {
    try {
      await systemDb().$executeRawUnsafe(`TRUNCATE ${rows.map((r) => `"${r.tablename}"`).join(", ")} CASCADE`);
      return;
    } catch (err) {
      if (!isDeadlock(err) || attempt >= 5) throw err;
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }
}

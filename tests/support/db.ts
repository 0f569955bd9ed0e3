import { systemDb } from "@/lib/db";

/** Empties every table: integration files start from nothing. */
export async function resetDb() {
  const rows = await systemDb().$queryRaw<{ tablename: string }[]>`
    SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations'`;
  if (rows.length) await systemDb().$executeRawUnsafe(`TRUNCATE ${rows.map((r) => `"${r.tablename}"`).join(", ")} CASCADE`);
}

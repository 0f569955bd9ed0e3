// When vitest runs without a database (plain `npx vitest`), provision a fresh one for this run.
// `npm test` provisions it itself and passes DATABASE_URL down; unit-only runs need none.
import { provisionTestDatabase } from "../../scripts/test-db.mjs";

export default async function setup() {
  const filters = process.argv.slice(2).filter((a) => a.startsWith("tests/") || a.endsWith(".test.ts"));
  const unitOnly = filters.length > 0 && filters.every((f) => f.includes("unit"));
  if (process.env.DATABASE_URL || unitOnly) return;
  const db = await provisionTestDatabase({ embeddedPort: 54349 });
  process.env.DATABASE_URL = db.url;
  return db.cleanup;
}

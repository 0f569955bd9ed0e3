// Fails when prisma/schema.prisma and prisma/migrations disagree (a model change without a migration).
// Needs a shadow database: real PostgreSQL makes its own; the embedded one passes SHADOW_DATABASE_URL.
import { bin, run } from "./run.mjs";

try {
  const out = await run(
    bin("prisma"),
    ["migrate", "diff", "--from-migrations", "prisma/migrations", "--to-schema", "prisma/schema.prisma", "--exit-code"],
    { quiet: true },
  );
  // The offline schema engine is Prisma-internal: "exit 0, printed nothing" would hide a break.
  if (!/No difference detected/.test(out)) throw new Error(`unexpected output from migrate diff:\n${out}`);
  console.log("drift check: schema.prisma matches prisma/migrations");
} catch (e) {
  console.error(`drift check FAILED: schema.prisma and prisma/migrations differ (run prisma migrate dev)\n${e.message}`);
  process.exit(1);
}

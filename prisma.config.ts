import path from "node:path";
import { defineConfig } from "prisma/config";

// Prisma's CLI downloads a native schema-engine on first use; this project ships a stand-in
// built on @prisma/schema-engine-wasm so migrate works offline (see prisma/schema-engine-shim.mjs).
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(import.meta.dirname, "prisma/schema-engine-shim.mjs");

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "tsx prisma/seed.ts" },
  datasource: {
    // `prisma generate` needs no database; a placeholder keeps the config valid without one.
    url: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres",
    shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL,
  },
});

import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";

// One client per process; Next dev reloads modules, so keep it on globalThis.
const g = globalThis as unknown as { __revwatchPrisma?: PrismaClient };

function create(): PrismaClient {
  const { DATABASE_URL, DATABASE_POOL_SIZE } = env();
  if (!DATABASE_URL) throw new Error("DATABASE_URL is not set (npm run dev starts an embedded database and sets it)");
  const adapter = new PrismaPg({ connectionString: DATABASE_URL, max: DATABASE_POOL_SIZE });
  return new PrismaClient({ adapter });
}

export function db(): PrismaClient {
  g.__revwatchPrisma ??= create();
  return g.__revwatchPrisma;
}

export async function disconnectDb() {
  await g.__revwatchPrisma?.$disconnect();
  g.__revwatchPrisma = undefined;
}

export { Prisma } from "@/lib/generated/prisma/client";

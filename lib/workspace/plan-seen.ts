import "server-only";
import { systemDb } from "@/lib/db";
import { log } from "@/lib/log";
import type { Plan } from "@/lib/plans";

// The plan comes from the session, but the daily prune runs without one: each workspace's plan as last
// seen is stored on its WorkspaceSettings row. Cheap on the hot path: an instance remembers what it
// wrote for a few minutes (only to skip repeats; the database is the truth), and the statement itself
// writes only when the plan changed.

const REMEMBER_MS = 10 * 60_000;
const MAX_REMEMBERED = 10_000;
const remembered = new Map<string, { plan: Plan; at: number }>();

export async function notePlanSeen(ownerId: string, plan: Plan, now = Date.now()): Promise<void> {
  const known = remembered.get(ownerId);
  if (known && known.plan === plan && now - known.at < REMEMBER_MS) return;
  try {
    // A random id: two first sightings at once must meet only on "ownerId" (ON CONFLICT's arbiter);
    // an id derived from the owner made the second one fail on the primary key instead.
    await systemDb().$executeRaw`
      INSERT INTO "WorkspaceSettings" (id, "ownerId", plan, "updatedAt") VALUES ('ws_' || gen_random_uuid(), ${ownerId}, ${plan}, now() AT TIME ZONE 'UTC')
      ON CONFLICT ("ownerId") DO UPDATE SET plan = EXCLUDED.plan, "updatedAt" = EXCLUDED."updatedAt"
      WHERE "WorkspaceSettings".plan IS DISTINCT FROM EXCLUDED.plan`;
    if (remembered.size >= MAX_REMEMBERED) remembered.clear();
    remembered.set(ownerId, { plan, at: now });
  } catch (err) {
    // Never fails the request: the next one tries again.
    log.warn({ err, ownerId }, "could not record the workspace's plan");
  }
}

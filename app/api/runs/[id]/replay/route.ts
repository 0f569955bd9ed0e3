import { z } from "zod";
import { json, withAuth } from "@/lib/http";
import { REPLAY_LIMIT, requireToken } from "@/lib/rate-limit";
import { replayRun } from "@/lib/runs/replay";

const paramsSchema = z.object({ id: z.string().min(1).max(64) });

// Re-runs a failed run as itself (same slot, trigger replay): 202 { run } while it executes.
export const POST = withAuth<{ id: string }>(async ({ tenant, params }) => {
  await requireToken("replay", tenant.ownerId, REPLAY_LIMIT);
  const { id } = paramsSchema.parse(params);
  return json({ run: await replayRun(tenant.ownerId, id, tenant.userId) }, 202);
}, { role: "member" });

import { z } from "zod";
import { json, readJson, withAuth } from "@/lib/http";
import { REPLAY_LIMIT, requireToken } from "@/lib/rate-limit";
import { replayFailedRuns } from "@/lib/runs/replay";
import { bulkReplayBodySchema } from "@/lib/runs/replay-schemas";

const paramsSchema = z.object({ id: z.string().min(1).max(64) });

// Re-runs each failed run of the schedule whose slot is in [from, to) once: 202 with what was queued.
export const POST = withAuth<{ id: string }>(async ({ req, tenant, params }) => {
  await requireToken("replay", tenant.ownerId, REPLAY_LIMIT);
  const { id } = paramsSchema.parse(params);
  const body = await readJson(req, bulkReplayBodySchema);
  return json(await replayFailedRuns(tenant.ownerId, id, { from: new Date(body.from), to: new Date(body.to) }, tenant.userId), 202);
}, { role: "member" });

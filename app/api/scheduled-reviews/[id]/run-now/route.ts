import { z } from "zod";
import { json, withAuth } from "@/lib/http";
import { RUN_NOW_LIMIT, requireToken } from "@/lib/rate-limit";
import { runNow } from "@/lib/runs/run-now";

const paramsSchema = z.object({ id: z.string().min(1).max(64) });

// Starts a manual run: 202 { run } while it executes in the background.
export const POST = withAuth<{ id: string }>(async ({ tenant, params }) => {
  await requireToken("run-now", tenant.ownerId, RUN_NOW_LIMIT);
  const { id } = paramsSchema.parse(params);
  return json({ run: await runNow(tenant.ownerId, id, tenant.userId) }, 202);
}, { role: "member" });

import { json, readJson, withAuth } from "@/lib/http";
import { repairCoverage } from "@/lib/monitoring/repair";
import { coverageRangeSchema } from "@/lib/monitoring/schemas";
import { requireToken } from "@/lib/rate-limit";

const REPAIR_LIMIT = { limit: 6, windowMs: 60_000 };

// Queues one repair run per missing slot of the window (at most 100 a call; call again for more).
export const POST = withAuth(async ({ req, tenant }) => {
  const range = await readJson(req, coverageRangeSchema);
  await requireToken("coverage-repair", tenant.ownerId, REPAIR_LIMIT);
  return json(await repairCoverage(tenant.ownerId, range), 202);
}, { role: "member" });

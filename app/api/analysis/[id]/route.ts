import { json, withAuth } from "@/lib/http";
import { getAnalysis } from "@/lib/runs/queries";

// One analysis: counts, findings (high-risk deals first) and the change since the previous run.
export const GET = withAuth<{ id: string }>(async ({ tenant, params }) => json(await getAnalysis(tenant.ownerId, params.id)));

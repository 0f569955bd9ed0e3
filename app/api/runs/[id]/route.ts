import { json, withAuth } from "@/lib/http";
import { getRun } from "@/lib/runs/queries";

// One run with its deliveries and the link to it in the Inngest dashboard.
export const GET = withAuth<{ id: string }>(async ({ tenant, params }) => json(await getRun(tenant.ownerId, params.id)));

import { listConnections } from "@/lib/crm/connections";
import { json, withAuth } from "@/lib/http";

export const GET = withAuth(async ({ tenant }) => json({ data: await listConnections(tenant.ownerId) }));

import { testConnection } from "@/lib/crm/check";
import { json, withAuth } from "@/lib/http";

export const POST = withAuth<{ id: string }>(async ({ tenant, params }) => json(await testConnection(tenant.ownerId, params.id)), { role: "member" });

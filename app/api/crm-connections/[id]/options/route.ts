import { connectionOptions } from "@/lib/crm/check";
import { json, withAuth } from "@/lib/http";

export const GET = withAuth<{ id: string }>(async ({ tenant, params }) => json(await connectionOptions(tenant.ownerId, params.id)));

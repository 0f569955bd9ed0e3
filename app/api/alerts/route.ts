import { listAlerts } from "@/lib/alerts/alerts";
import { alertListQuerySchema } from "@/lib/alerts/schemas";
import { json, readQuery, withAuth } from "@/lib/http";

export const GET = withAuth(async ({ req, tenant }) => json(await listAlerts(tenant.ownerId, readQuery(req, alertListQuerySchema))));

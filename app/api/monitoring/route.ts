import { json, readQuery, withAuth } from "@/lib/http";
import { getMonitoring } from "@/lib/monitoring/metrics";
import { monitoringQuerySchema } from "@/lib/monitoring/schemas";

export const GET = withAuth(async ({ req, tenant }) => json(await getMonitoring(tenant.ownerId, readQuery(req, monitoringQuerySchema))));

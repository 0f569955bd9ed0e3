import { json, readJson, readQuery, withAuth } from "@/lib/http";
import { createMonitorSchema, monitorListQuerySchema } from "@/lib/monitors/schemas";
import { createMonitor, listMonitors } from "@/lib/monitors/service";

// Newest first, keyset-paged (?limit=&cursor=).
export const GET = withAuth(async ({ req, tenant }) => json(await listMonitors(tenant.ownerId, readQuery(req, monitorListQuerySchema))));

export const POST = withAuth(async ({ req, tenant }) => json(await createMonitor(tenant.ownerId, tenant.userId, await readJson(req, createMonitorSchema)), 201), { role: "admin" });

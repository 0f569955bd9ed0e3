import { json, readJson, withAuth } from "@/lib/http";
import { createMonitorSchema } from "@/lib/monitors/schemas";
import { createMonitor, listMonitors } from "@/lib/monitors/service";

export const GET = withAuth(async ({ tenant }) => json(await listMonitors(tenant.ownerId)));

export const POST = withAuth(async ({ req, tenant }) => json(await createMonitor(tenant.ownerId, tenant.userId, await readJson(req, createMonitorSchema)), 201), { role: "admin" });

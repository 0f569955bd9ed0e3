import { json, readJson, withAuth } from "@/lib/http";
import { updateMonitorSchema } from "@/lib/monitors/schemas";
import { deleteMonitor, getMonitor, updateMonitor } from "@/lib/monitors/service";

type Params = { id: string };

export const GET = withAuth<Params>(async ({ tenant, params }) => json(await getMonitor(tenant.ownerId, params.id)));

export const PATCH = withAuth<Params>(async ({ req, tenant, params }) =>
  json(await updateMonitor(tenant.ownerId, tenant.userId, params.id, await readJson(req, updateMonitorSchema))),
  { role: "admin" },
);

export const DELETE = withAuth<Params>(async ({ tenant, params }) => {
  await deleteMonitor(tenant.ownerId, tenant.userId, params.id);
  return new Response(null, { status: 204 });
}, { role: "admin" });

import { deleteConnection, renameConnection } from "@/lib/crm/connect";
import { renameBodySchema } from "@/lib/crm/connect-schemas";
import { json, readJson, withAuth } from "@/lib/http";

type Params = { id: string };

export const PATCH = withAuth<Params>(async ({ req, tenant, params }) =>
  json(await renameConnection(tenant.ownerId, tenant.userId, params.id, (await readJson(req, renameBodySchema)).name)),
  { role: "admin" },
);

// Refused (409 connection_in_use) while schedules use the connection; revokes the token where the CRM offers it.
export const DELETE = withAuth<Params>(async ({ tenant, params }) => {
  await deleteConnection(tenant.ownerId, tenant.userId, params.id);
  return new Response(null, { status: 204 });
}, { role: "admin" });

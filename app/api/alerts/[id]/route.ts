import { getAlert, updateAlert } from "@/lib/alerts/alerts";
import { updateAlertSchema } from "@/lib/alerts/schemas";
import { json, readJson, withAuth } from "@/lib/http";

type Params = { id: string };

export const GET = withAuth<Params>(async ({ tenant, params }) => json(await getAlert(tenant.ownerId, params.id)));

export const PATCH = withAuth<Params>(async ({ req, tenant, params }) =>
  json(await updateAlert(tenant.ownerId, tenant.userId, params.id, await readJson(req, updateAlertSchema))),
  { role: "member" },
);

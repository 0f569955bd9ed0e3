import { json, readJson, withAuth } from "@/lib/http";
import { updateScheduleSchema } from "@/lib/schedules/schemas";
import { deleteSchedule, getSchedule, updateSchedule } from "@/lib/schedules/service";

type Params = { id: string };

export const GET = withAuth<Params>(async ({ tenant, params }) => json(await getSchedule(tenant.ownerId, params.id)));

export const PATCH = withAuth<Params>(async ({ req, tenant, params }) =>
  json(await updateSchedule(tenant, params.id, await readJson(req, updateScheduleSchema))), { role: "admin" },
);

export const DELETE = withAuth<Params>(async ({ tenant, params }) => {
  await deleteSchedule(tenant, params.id);
  return new Response(null, { status: 204 });
}, { role: "admin" });

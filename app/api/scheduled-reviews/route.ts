import { json, readJson, withAuth } from "@/lib/http";
import { createScheduleSchema } from "@/lib/schedules/schemas";
import { createSchedule, listSchedules } from "@/lib/schedules/service";

export const GET = withAuth(async ({ tenant }) => json({ data: await listSchedules(tenant.ownerId) }));

export const POST = withAuth(async ({ req, tenant }) =>
  json(await createSchedule(tenant, await readJson(req, createScheduleSchema)), 201),
);

import { json, readJson, withAuth } from "@/lib/http";
import { idempotencyKeyOf, runIdempotent } from "@/lib/schedules/idempotency";
import { createScheduleSchema } from "@/lib/schedules/schemas";
import { checkNewScheduleScope, createSchedule, listSchedules } from "@/lib/schedules/service";

export const GET = withAuth(async ({ tenant }) => json({ data: await listSchedules(tenant.ownerId) }));

// With an Idempotency-Key, a retried create answers the first response (Idempotent-Replayed: true) instead of adding a row.
export const POST = withAuth(async ({ req, tenant }) => {
  const key = idempotencyKeyOf(req);
  const input = await readJson(req, createScheduleSchema);
  await checkNewScheduleScope(tenant.ownerId, input);
  if (!key) return json(await createSchedule(tenant, input), 201);
  const result = await runIdempotent(tenant.ownerId, key, "POST /api/scheduled-reviews", input, async (db) => ({
    status: 201,
    body: await createSchedule(tenant, input, db),
  }));
  const res = json(result.body, result.status);
  if (result.replayed) res.headers.set("Idempotent-Replayed", "true");
  return res;
}, { role: "admin" });

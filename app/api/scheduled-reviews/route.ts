import { json, readJson, readQuery, withAuth } from "@/lib/http";
import { idempotencyKeyOf, runIdempotent } from "@/lib/schedules/idempotency";
import { listSchedules } from "@/lib/schedules/list";
import { createScheduleSchema, scheduleListQuerySchema } from "@/lib/schedules/schemas";
import { checkNewScheduleScope, createSchedule } from "@/lib/schedules/service";

// Newest first, keyset-paged: ?limit= (1-100, default 50), ?cursor= (next_cursor of the previous page).
export const GET = withAuth(async ({ req, tenant }) => json(await listSchedules(tenant.ownerId, readQuery(req, scheduleListQuerySchema))));

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

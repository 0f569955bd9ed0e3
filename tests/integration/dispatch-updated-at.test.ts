// The dispatcher stamps the schedules it moves with the tick's instant, like every other column it
// writes, not with the database's clock (timestamp(3) from now() is also in the session's zone).
import { beforeEach, expect, test } from "vitest";
import { systemDb } from "@/lib/db";
import { dispatchDue } from "@/lib/scheduler/dispatch";
import { resetDb } from "@/tests/support/db";
import { createSchedule } from "@/tests/support/in-process-inngest";

beforeEach(async () => {
  await resetDb();
});

test("a moved schedule's updatedAt is the tick's instant", async () => {
  const now = new Date("2026-03-09T06:00:30.000Z");
  const s = await createSchedule({ nextRunAt: new Date("2026-03-09T06:00:00.000Z") });
  const r = await dispatchDue({ now });
  expect(r.dispatched).toBe(1);
  const moved = await systemDb().scheduledReview.findUniqueOrThrow({ where: { id: s.id } });
  expect(moved.nextRunAt?.toISOString()).toBe("2026-03-10T06:00:00.000Z");
  expect(moved.updatedAt.toISOString()).toBe(now.toISOString());
});

// Auto-pause is its own idempotent step after review/run.failed (issue #17): a throw there can no
// longer lose the failure (failRun used to call it right after its compare-and-set), and duplicate or
// concurrent copies of the step pause the schedule once, with one audit row.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { systemDb } from "@/lib/db";

const broken = vi.hoisted(() => ({ on: false }));
vi.mock("@/lib/schedules/auto-pause", async (importActual) => {
  const actual = await importActual<typeof import("@/lib/schedules/auto-pause")>();
  return {
    autoPauseIfFailing: (...args: Parameters<typeof actual.autoPauseIfFailing>) => {
      if (broken.on) throw new Error("auto-pause blew up");
      return actual.autoPauseIfFailing(...args);
    },
  };
});

const { failRun } = await import("@/lib/runs/lifecycle");
const { autoPauseIfFailing } = await import("@/lib/schedules/auto-pause");
const { api } = await import("../support/api");
const { resetDb } = await import("../support/db");
const { connectionIdFor, createScheduleAs } = await import("../support/schedules");

const ADMIN = { userId: "user_autopause_admin", orgId: "org_autopause", orgRole: "admin" } as const;
let conn: string;
beforeAll(async () => {
  await resetDb();
  conn = await connectionIdFor(ADMIN);
});

const runningRun = (scheduleId: string, minutesAgo: number) =>
  systemDb().reviewRun.create({
    data: { ownerId: ADMIN.orgId, scheduledReviewId: scheduleId, trigger: "SCHEDULED", status: "RUNNING", scheduledFor: new Date(Date.now() - minutesAgo * 60_000) },
  });

describe("auto-pause step", () => {
  it("failing a run returns the failure to announce even when auto-pause would throw", async () => {
    const s = await createScheduleAs(ADMIN, conn, { name: "Throwing auto-pause", auto_pause_after_failures: 1 });
    const run = await runningRun(s.id, 10);
    broken.on = true;
    try {
      const failed = await failRun({ runId: run.id, errorCode: "crm_error", errorMessage: "CRM down" });
      expect(failed).toMatchObject({ runId: run.id, scheduleId: s.id, errorCode: "crm_error" });
    } finally {
      broken.on = false;
    }
    expect((await systemDb().reviewRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("FAILED");
  });

  it("duplicate and concurrent copies of the step pause once, with one audit row", async () => {
    const s = await createScheduleAs(ADMIN, conn, { name: "Duplicated auto-pause", auto_pause_after_failures: 2 });
    for (const minutesAgo of [30, 20]) {
      const run = await runningRun(s.id, minutesAgo);
      await failRun({ runId: run.id, errorCode: "crm_error", errorMessage: "CRM down", now: new Date(Date.now() - minutesAgo * 60_000 + 1_000) });
    }
    const copies = await Promise.all([autoPauseIfFailing(s.id), autoPauseIfFailing(s.id), autoPauseIfFailing(s.id)]);
    expect(copies.filter(Boolean)).toHaveLength(1);
    expect(await autoPauseIfFailing(s.id)).toBe(false); // a later retry of the step changes nothing
    const row = await systemDb().scheduledReview.findUniqueOrThrow({ where: { id: s.id } });
    expect(row).toMatchObject({ isActive: false, pausedBy: "system", pauseNote: "Auto-paused after 2 consecutive failed runs" });
    expect(await systemDb().auditEvent.count({ where: { scheduledReviewId: s.id, action: "schedule.auto_paused" } })).toBe(1);
  });

  it("counts only failures since the last resume: a retry or late event after a resume does not re-pause (review 17 #7)", async () => {
    const s = await createScheduleAs(ADMIN, conn, { name: "Resumed after auto-pause", auto_pause_after_failures: 2 });
    const fail = async (minutesAgo: number) => {
      const run = await runningRun(s.id, minutesAgo);
      await failRun({ runId: run.id, errorCode: "crm_error", errorMessage: "CRM down", now: new Date(Date.now() - minutesAgo * 60_000 + 1_000) });
    };
    await fail(30);
    await fail(20);
    expect(await autoPauseIfFailing(s.id)).toBe(true);
    expect((await api("PATCH", `/api/scheduled-reviews/${s.id}`, ADMIN, { is_active: true })).status).toBe(200);

    expect(await autoPauseIfFailing(s.id)).toBe(false); // the step retried, or the second event came late
    await fail(0);
    expect(await autoPauseIfFailing(s.id)).toBe(false); // one failure since the resume
    expect((await systemDb().scheduledReview.findUniqueOrThrow({ where: { id: s.id } })).isActive).toBe(true);
    await fail(0);
    expect(await autoPauseIfFailing(s.id)).toBe(true);
  });
});

// Overlap and catch-up policies (issue #17) through the executor double: dispatch-due-reviews ticks at
// chosen instants (Date faked, timers real), the real run-review runs what they queue.
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { systemDb } from "@/lib/db";
import type { OverlapPolicy } from "@/lib/generated/prisma/client";
import { runNow } from "@/lib/runs/run-now";
import { resetDb } from "@/tests/support/db";
import { createSchedule, FN, inProcessInngestForFile } from "@/tests/support/in-process-inngest";

const inngest = inProcessInngestForFile();
beforeEach(() => resetDb());
afterEach(async () => {
  await inngest.fake.waitForIdle(20_000);
  vi.useRealTimers();
});

const at = (iso: string) => {
  vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
  vi.setSystemTime(new Date(iso));
};
async function tick() {
  const record = await inngest.fake.triggerCron(FN.dispatch);
  await inngest.fake.waitForIdle(20_000);
  return record;
}
const runsOf = (scheduleId: string) => systemDb().reviewRun.findMany({ where: { scheduledReviewId: scheduleId }, orderBy: { scheduledFor: "asc" } });
const requestsFor = (scheduleId: string) => inngest.fake.events.filter((e) => e.name === "review/run.requested" && e.data.scheduleId === scheduleId);

async function hourlyWithRunningRun(overlapPolicy: OverlapPolicy) {
  const s = await createSchedule({ cron: "0 * * * *", nextRunAt: new Date("2026-04-01T07:00:00Z") });
  await systemDb().scheduledReview.update({ where: { id: s.id }, data: { overlapPolicy } });
  const running = await systemDb().reviewRun.create({
    data: { scheduledReviewId: s.id, ownerId: s.ownerId, trigger: "SCHEDULED", scheduledFor: new Date("2026-04-01T06:00:00Z"), status: "RUNNING", startedAt: new Date("2026-04-01T06:00:05Z") },
  });
  return { s, running };
}

describe("overlap policy", () => {
  test("buffer_one: the newest slot due during a run waits, and runs once that run ends", async () => {
    at("2026-04-01T07:00:10Z");
    const { s, running } = await hourlyWithRunningRun("BUFFER_ONE");
    expect((await tick()).output).toMatchObject({ due: 1, dispatched: 0 });
    expect(await runsOf(s.id)).toMatchObject([{ id: running.id, status: "RUNNING" }, { status: "SKIPPED", errorCode: "buffered" }]);

    at("2026-04-01T08:00:10Z"); // still running: 08:00 takes the one waiting place, 07:00 becomes a plain skip
    await tick();
    expect((await runsOf(s.id)).map((r) => [r.scheduledFor.toISOString().slice(11, 16), r.status, r.errorCode])).toEqual([
      ["06:00", "RUNNING", null], ["07:00", "SKIPPED", "overlap"], ["08:00", "SKIPPED", "buffered"],
    ]);
    expect(requestsFor(s.id)).toEqual([]);

    await systemDb().reviewRun.update({ where: { id: running.id }, data: { status: "COMPLETED", completedAt: new Date() } });
    at("2026-04-01T08:01:10Z");
    const record = await tick();
    expect(record.output).toMatchObject({ dispatched: 1 });
    const runs = await runsOf(s.id);
    expect(runs[2]).toMatchObject({ scheduledFor: new Date("2026-04-01T08:00:00Z"), status: "COMPLETED", errorCode: null, dealsAnalyzed: 120 });
    expect(requestsFor(s.id).map((e) => e.data.runId)).toEqual([runs[2]!.id]);
    // Released once: a later tick finds nothing waiting.
    at("2026-04-01T08:02:10Z");
    expect((await tick()).output).toMatchObject({ dispatched: 0 });
  });

  test("buffer_one: a waiting slot does not run once the schedule is paused or its policy changed; it becomes a plain skip", async () => {
    for (const change of [{ isActive: false }, { overlapPolicy: "SKIP" as const }]) {
      await resetDb();
      at("2026-04-01T07:00:10Z");
      const { s, running } = await hourlyWithRunningRun("BUFFER_ONE");
      await tick();
      expect(await runsOf(s.id)).toMatchObject([{ id: running.id, status: "RUNNING" }, { status: "SKIPPED", errorCode: "buffered" }]);

      await systemDb().scheduledReview.update({ where: { id: s.id }, data: change });
      await systemDb().reviewRun.update({ where: { id: running.id }, data: { status: "COMPLETED", completedAt: new Date() } });
      at("2026-04-01T07:01:10Z");
      expect((await tick()).output, JSON.stringify(change)).toMatchObject({ dispatched: 0 });
      expect((await runsOf(s.id)).map((r) => [r.status, r.errorCode])).toEqual([["COMPLETED", null], ["SKIPPED", "overlap"]]);
      expect(requestsFor(s.id)).toEqual([]);
    }
  });

  test("allow: the slot runs while the previous run is still running", async () => {
    at("2026-04-01T07:00:10Z");
    const { s, running } = await hourlyWithRunningRun("ALLOW");
    expect((await tick()).output).toMatchObject({ due: 1, dispatched: 1, skipped: 0 });
    expect(await runsOf(s.id)).toMatchObject([
      { id: running.id, status: "RUNNING" },
      { scheduledFor: new Date("2026-04-01T07:00:00Z"), status: "COMPLETED", dealsAnalyzed: 120 },
    ]);
  });

  test("run now: allow starts beside an active run; skip and buffer_one answer run_in_progress", async () => {
    const allow = await hourlyWithRunningRun("ALLOW");
    const run = await runNow(allow.s.ownerId, allow.s.id, "user_overlap");
    expect(run).toMatchObject({ status: "queued", trigger: "manual" });
    for (const policy of ["SKIP", "BUFFER_ONE"] as const) {
      const { s, running } = await hourlyWithRunningRun(policy);
      await expect(runNow(s.ownerId, s.id, "user_overlap")).rejects.toMatchObject({ code: "run_in_progress", details: { run_id: running.id } });
    }
  });
});

describe("catch-up window", () => {
  test("after downtime, a latest slot older than the window is counted, not run; inside it runs once", async () => {
    at("2026-04-03T12:00:10Z"); // down since Wednesday 2026-04-01 06:00
    const weekly = await createSchedule({ cron: "0 6 * * 3", nextRunAt: new Date("2026-04-01T06:00:00Z") }); // window: 1 day (default)
    const wide = await createSchedule({ cron: "0 6 * * 3", nextRunAt: new Date("2026-04-01T06:00:00Z") });
    await systemDb().scheduledReview.update({ where: { id: wide.id }, data: { catchUpWindowMinutes: 3 * 1440 } });
    const hourly = await createSchedule({ cron: "0 * * * *", nextRunAt: new Date("2026-04-01T06:00:00Z") });

    const record = await tick();
    expect(record.output).toMatchObject({ due: 3, dispatched: 2, skipped: 1 });
    expect(await runsOf(weekly.id)).toEqual([]);
    expect(await runsOf(wide.id)).toMatchObject([{ scheduledFor: new Date("2026-04-01T06:00:00Z"), status: "COMPLETED", missedSlots: 0 }]);
    // 06:00 on the 1st to 12:00 on the 3rd: 55 slots, the latest runs, 54 are counted.
    expect(await runsOf(hourly.id)).toMatchObject([{ scheduledFor: new Date("2026-04-03T12:00:00Z"), status: "COMPLETED", missedSlots: 54 }]);
    const after = await systemDb().scheduledReview.findMany({ where: { id: { in: [weekly.id, wide.id, hourly.id] } }, select: { id: true, missedSlotCount: true, nextRunAt: true } });
    const byId = Object.fromEntries(after.map((r) => [r.id, r]));
    expect([byId[weekly.id]!.missedSlotCount, byId[wide.id]!.missedSlotCount, byId[hourly.id]!.missedSlotCount]).toEqual([1, 0, 54]);
    expect(byId[weekly.id]!.nextRunAt).toEqual(new Date("2026-04-08T06:00:00Z"));
    // A repeated tick at the same instant counts nothing twice.
    await tick();
    expect((await systemDb().scheduledReview.findUniqueOrThrow({ where: { id: hourly.id } })).missedSlotCount).toBe(54);
  });
});

// The dispatcher on Postgres: the dispatch-due-reviews function driven in-process by the executor
// double (fan-out runs the real run-review), and lib/scheduler/dispatch at fixed instants.
// Time control: Date is faked (timers stay real) so "now" is a chosen instant.
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { systemDb } from "@/lib/db";
import { dispatchDue, scheduledRunId } from "@/lib/scheduler/dispatch";
import { nextRunAfter } from "@/lib/schedules/time";
import { resetDb } from "@/tests/support/db";
import { createSchedule, FN, inProcessInngestForFile } from "@/tests/support/in-process-inngest";

// Switchable faults around the real dispatchBatch, for the tick's failure and recovery paths.
const fault = vi.hoisted(() => ({ mode: "none" as "none" | "always" | "after-commit-once" }));
vi.mock("@/lib/scheduler/dispatch", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/scheduler/dispatch")>();
  return {
    ...real,
    dispatchBatch: async (opts: Parameters<typeof real.dispatchBatch>[0]) => {
      if (fault.mode === "always") throw new Error("database unavailable");
      const result = await real.dispatchBatch(opts);
      if (fault.mode === "after-commit-once") {
        fault.mode = "none";
        throw new Error("connection lost after commit");
      }
      return result;
    },
  };
});

const inngest = inProcessInngestForFile();
beforeEach(async () => {
  fault.mode = "none";
  await resetDb();
});
afterEach(async () => {
  await inngest.fake.waitForIdle(20_000);
  vi.useRealTimers();
});

const at = (iso: string) => {
  vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
  vi.setSystemTime(new Date(iso));
};
/** One dispatcher tick through Inngest, then every review it fanned out. */
async function tick() {
  const record = await inngest.fake.triggerCron(FN.dispatch);
  await inngest.fake.waitForIdle(20_000);
  return record;
}
const runsOf = (scheduleId: string) => systemDb().reviewRun.findMany({ where: { scheduledReviewId: scheduleId }, orderBy: { scheduledFor: "asc" } });
const scheduleOf = (id: string) => systemDb().scheduledReview.findUniqueOrThrow({ where: { id } });
// The double lives for the whole file: look only at this test's reviews and events.
const reviewsOf = (scheduleIds: string[]) => inngest.fake.findRuns({ fnId: FN.review }).filter((r) => scheduleIds.includes(String(r.event.data.scheduleId)));
const requestsFor = (scheduleId: string) => inngest.fake.events.filter((e) => e.name === "review/run.requested" && e.data.scheduleId === scheduleId);
const ticks = () => systemDb().schedulerTick.findMany({ where: { kind: "DISPATCH" }, orderBy: { startedAt: "asc" } });

describe("dispatch-due-reviews through the executor double", () => {
  test("a due schedule is dispatched and its review completes with metrics", async () => {
    const schedule = await createSchedule({ cron: "0 6 * * *", timezone: "Europe/Berlin" });
    const record = await tick();
    expect(record).toMatchObject({ status: "completed", output: { outcome: "SUCCESS", due: 1, dispatched: 1, skipped: 0, missed: 0, failed: 0 } });

    const [run] = await runsOf(schedule.id);
    expect(run).toMatchObject({ trigger: "SCHEDULED", status: "COMPLETED", scheduledFor: schedule.nextRunAt, dealsAnalyzed: 120, missedSlots: 0 });
    expect(run.healthScore).toEqual(expect.any(Number));
    expect(run.issuesFound).toBeGreaterThan(0);
    expect(await systemDb().finding.count({ where: { analysisId: run.analysisId! } })).toBe(run.issuesFound);
    expect(requestsFor(schedule.id)).toMatchObject([{ id: run.id, data: { runId: run.id, scheduleId: schedule.id, ownerId: schedule.ownerId } }]);

    const [t] = await ticks();
    expect(t).toMatchObject({ outcome: "SUCCESS", dueCount: 1, dispatched: 1, skipped: 0, missed: 0, error: null });
    expect(t.finishedAt).not.toBeNull();
    expect(t.durationMs).toBeGreaterThanOrEqual(0);
    expect((await scheduleOf(schedule.id)).nextRunAt).toEqual(nextRunAfter("0 6 * * *", "Europe/Berlin", t.startedAt));
  });

  test("the same minute dispatched twice gives exactly one run", async () => {
    at("2026-04-01T06:00:20Z");
    const schedule = await createSchedule({ nextRunAt: new Date("2026-04-01T06:00:00Z") });
    await tick();
    const second = await tick();
    expect(second.output).toMatchObject({ due: 0, dispatched: 0 });
    expect(await runsOf(schedule.id)).toMatchObject([{ scheduledFor: new Date("2026-04-01T06:00:00Z"), status: "COMPLETED" }]);
    expect(reviewsOf([schedule.id])).toHaveLength(1);
  });

  test("two dispatchers running concurrently give exactly one run per slot and one review", async () => {
    at("2026-04-01T06:00:20Z");
    const schedules = await Promise.all([1, 2, 3].map(() => createSchedule({ nextRunAt: new Date("2026-04-01T06:00:00Z") })));
    const both = await Promise.all([inngest.fake.triggerCron(FN.dispatch), inngest.fake.triggerCron(FN.dispatch)]);
    await inngest.fake.waitForIdle(20_000);
    expect(both.map((r) => r.status)).toEqual(["completed", "completed"]);
    for (const s of schedules) {
      expect(await runsOf(s.id)).toMatchObject([{ status: "COMPLETED" }]);
      expect((await scheduleOf(s.id)).nextRunAt).toEqual(new Date("2026-04-02T06:00:00Z"));
    }
    expect(reviewsOf(schedules.map((s) => s.id))).toHaveLength(3);
    const dispatched = (await ticks()).reduce((n, t) => n + t.dispatched, 0);
    expect(dispatched).toBe(3);
  });

  test("a 3-hour outage: one catch-up run with the missed count; with policy SKIP no run, missed still counted", async () => {
    at("2026-04-01T12:20:00Z");
    const once = await createSchedule({ cron: "0 * * * *", nextRunAt: new Date("2026-04-01T09:00:00Z") });
    const skip = await createSchedule({ cron: "0 * * * *", nextRunAt: new Date("2026-04-01T09:00:00Z"), catchUpPolicy: "SKIP" });
    const record = await tick();
    // 09:00, 10:00, 11:00, 12:00 were due: RUN_ONCE runs 12:00 and collapses 3; SKIP misses all 4.
    expect(record.output).toMatchObject({ due: 2, dispatched: 1, skipped: 1, missed: 7 });
    expect(await runsOf(once.id)).toMatchObject([{ scheduledFor: new Date("2026-04-01T12:00:00Z"), missedSlots: 3, status: "COMPLETED" }]);
    expect(await runsOf(skip.id)).toEqual([]);
    const [t] = await ticks();
    expect(t).toMatchObject({ missed: 7, skipped: 1, details: expect.objectContaining({ catch_up_skipped: 1 }) });
    for (const s of [once, skip]) expect((await scheduleOf(s.id)).nextRunAt).toEqual(new Date("2026-04-01T13:00:00Z"));
  });

  test("overlap: while the previous run is still running, the new slot is recorded as SKIPPED", async () => {
    at("2026-04-01T07:00:10Z");
    const schedule = await createSchedule({ cron: "0 * * * *", nextRunAt: new Date("2026-04-01T07:00:00Z") });
    const running = await systemDb().reviewRun.create({
      data: { scheduledReviewId: schedule.id, ownerId: schedule.ownerId, trigger: "SCHEDULED", scheduledFor: new Date("2026-04-01T06:00:00Z"), status: "RUNNING" },
    });
    const record = await tick();
    expect(record.output).toMatchObject({ due: 1, dispatched: 0, skipped: 1 });
    const runs = await runsOf(schedule.id);
    expect(runs).toMatchObject([
      { id: running.id, status: "RUNNING" },
      { scheduledFor: new Date("2026-04-01T07:00:00Z"), status: "SKIPPED", errorCode: "overlap", trigger: "SCHEDULED" },
    ]);
    expect(runs[1].errorMessage).toContain(running.id);
    expect(requestsFor(schedule.id)).toEqual([]);
    expect((await scheduleOf(schedule.id)).nextRunAt).toEqual(new Date("2026-04-01T08:00:00Z"));
  });

  test("a failing dispatch closes its tick as FAILURE with the error", async () => {
    fault.mode = "always";
    await createSchedule();
    const record = await tick();
    expect(record.status).toBe("failed");
    expect(record.attempts["dispatch-0"]).toBe(3); // retries: 2
    expect(await ticks()).toMatchObject([{ outcome: "FAILURE", error: "database unavailable", dispatched: 0 }]);
    expect((await ticks())[0].finishedAt).not.toBeNull();
  });

  test("an attempt that failed after queuing runs: the retry still sends them, so no run is stranded", async () => {
    fault.mode = "after-commit-once";
    const schedule = await createSchedule();
    const record = await tick();
    expect(record).toMatchObject({ status: "completed", attempts: { "dispatch-0": 2 } });
    expect(await runsOf(schedule.id)).toMatchObject([{ status: "COMPLETED" }]);
    expect(await ticks()).toMatchObject([{ outcome: "SUCCESS", details: expect.objectContaining({ resent: 1 }) }]);
  });
});

describe("dispatchDue at fixed instants", () => {
  test("a DST-gap slot (02:30 New York on 8 March 2026) fires exactly once, at 03:00 EDT", async () => {
    const cron = "30 2 * * *";
    const tz = "America/New_York";
    const schedule = await createSchedule({ cron, timezone: tz, nextRunAt: nextRunAfter(cron, tz, new Date("2026-03-07T12:00:00Z")) });
    expect(schedule.nextRunAt).toEqual(new Date("2026-03-08T07:00:00Z"));
    // Sweep the morning every 10 minutes, as the every-minute cron would (and twice per instant).
    for (let t = Date.parse("2026-03-08T05:00:00Z"); t <= Date.parse("2026-03-08T12:00:00Z"); t += 10 * 60_000) {
      await dispatchDue({ now: new Date(t) });
      await dispatchDue({ now: new Date(t) });
    }
    expect(await runsOf(schedule.id)).toMatchObject([{ scheduledFor: new Date("2026-03-08T07:00:00Z"), status: "QUEUED", missedSlots: 0 }]);
    expect((await scheduleOf(schedule.id)).nextRunAt).toEqual(new Date("2026-03-09T06:30:00Z")); // 02:30 EDT
  });

  test("concurrent calls at the same instant: one run per slot, next_run_at moved once", async () => {
    const now = new Date("2026-04-01T06:00:30Z");
    const schedules = await Promise.all([1, 2, 3].map(() => createSchedule({ nextRunAt: new Date("2026-04-01T06:00:00Z") })));
    const results = await Promise.all([1, 2, 3, 4].map(() => dispatchDue({ now })));
    expect(results.reduce((n, r) => n + r.dispatched, 0)).toBe(3);
    expect(await systemDb().reviewRun.count()).toBe(3);
    for (const s of schedules) expect((await scheduleOf(s.id)).nextRunAt).toEqual(new Date("2026-04-02T06:00:00Z"));
  });

  test("set-based batches under concurrency: 3 dispatchers, batches of 4, 25 due schedules: one run each, moved once", async () => {
    const now = new Date("2026-04-01T06:00:30Z");
    const schedules = await Promise.all(Array.from({ length: 25 }, (_, i) => createSchedule({ nextRunAt: new Date(Date.parse("2026-04-01T05:59:00Z") + i * 1_000) })));
    const results = await Promise.all([1, 2, 3].map(() => dispatchDue({ now, batchSize: 4 })));
    expect(results.reduce((n, r) => n + r.dispatched, 0)).toBe(25);
    const runs = await systemDb().reviewRun.findMany({ select: { id: true, scheduledReviewId: true, status: true } });
    expect(runs).toHaveLength(25);
    expect(new Set(runs.map((r) => r.scheduledReviewId)).size).toBe(25);
    expect(runs.every((r) => r.status === "QUEUED")).toBe(true);
    for (const s of schedules) expect((await scheduleOf(s.id)).nextRunAt).toEqual(new Date("2026-04-02T06:00:00Z"));
    // Run ids are derived from (schedule, slot): a later dispatch of the same slot can only collide.
    expect(runs.map((r) => r.id).sort()).toEqual(schedules.map((s) => scheduledRunId(s.id, new Date("2026-04-01T06:00:00Z"))).sort());
  });

  test("index-backed batches: every due schedule is reached; a broken one is counted and skipped past", async () => {
    const now = new Date("2026-04-01T06:00:30Z");
    const due = await Promise.all([1, 2, 3, 4, 5].map(() => createSchedule({ nextRunAt: new Date("2026-04-01T06:00:00Z") })));
    const broken = await createSchedule({ nextRunAt: new Date("2026-04-01T05:00:00Z") });
    await systemDb().scheduledReview.update({ where: { id: broken.id }, data: { timezone: "Mars/Olympus_Mons" } });
    await createSchedule({ nextRunAt: new Date("2026-04-01T07:00:00Z") }); // not due
    await createSchedule({ nextRunAt: new Date("2026-04-01T05:00:00Z"), isActive: false }); // inactive

    const result = await dispatchDue({ now, batchSize: 2 });
    expect(result).toMatchObject({ due: 6, dispatched: 5, failed: 1 });
    expect(result.details.errors).toEqual([{ schedule_id: broken.id, message: expect.stringContaining("Mars/Olympus_Mons") }]);
    const queued = await systemDb().reviewRun.findMany({ select: { scheduledReviewId: true } });
    expect(new Set(queued.map((r) => r.scheduledReviewId))).toEqual(new Set(due.map((s) => s.id)));
    expect((await scheduleOf(broken.id)).nextRunAt).toEqual(new Date("2026-04-01T05:00:00Z")); // retried next tick
  });
});

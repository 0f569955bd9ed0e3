// The lifecycle log lines operators grep (README "Logs"): one line per state change, with the ids,
// counts and durations each event promises. In process on Postgres, lines captured from pino.
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { systemDb } from "@/lib/db";
import { captureLogs } from "@/lib/log";
import { completeRun, failRun, markRunning } from "@/lib/runs/lifecycle";
import { runNow } from "@/lib/runs/run-now";
import { dispatchDue } from "@/lib/scheduler/dispatch";
import { closeTick, openTick } from "@/lib/scheduler/ticks";
import { resetDb } from "@/tests/support/db";
import { createSchedule } from "@/tests/support/in-process-inngest";

const OWNER = "user_logs";
let capture: ReturnType<typeof captureLogs>;
const events = (name: string) => capture.lines.filter((l) => l.event === name);

beforeEach(async () => {
  await resetDb();
  capture = captureLogs("info");
});
afterEach(() => capture.restore());

describe("lifecycle log lines", () => {
  test("a dispatcher tick: tick.start, one run.queued per queued run, tick.end with the counts", async () => {
    const now = new Date();
    const schedule = await createSchedule({ ownerId: OWNER, cron: "* * * * *", nextRunAt: new Date(now.getTime() - 30_000) });
    const tick = await openTick("DISPATCH", now);
    const { due, dispatched, skipped, missed, failed } = await dispatchDue({ now });
    const [run] = await systemDb().reviewRun.findMany({ where: { scheduledReviewId: schedule.id } });
    await closeTick({ tickId: tick.tickId, counts: { due, dispatched, skipped, missed, failed }, now: new Date(now.getTime() + 1_234) });

    expect(events("tick.start")).toEqual([expect.objectContaining({ msg: "tick.start", level: 30, app: "revwatch", kind: "DISPATCH", tick_id: tick.tickId, closed_stale: 0 })]);
    expect(events("run.queued")).toEqual([
      expect.objectContaining({ run_id: run!.id, schedule_id: schedule.id, owner_id: OWNER, trigger: "scheduled", missed_slots: 0 }),
    ]);
    expect(events("tick.end")).toEqual([
      expect.objectContaining({ tick_id: tick.tickId, outcome: "SUCCESS", duration_ms: 1_234, due: 1, dispatched: 1, skipped: 0, missed: 0, failed: 0 }),
    ]);
    expect(capture.lines.map((l) => l.event)).toEqual(["tick.start", "run.queued", "tick.end"]);
  });

  test("a failed tick ends at warn with its error", async () => {
    const tick = await openTick("RECONCILE");
    await closeTick({ tickId: tick.tickId, counts: { due: 0, dispatched: 0, skipped: 0, missed: 0, failed: 2 }, error: "boom" });
    expect(events("tick.end")).toEqual([expect.objectContaining({ level: 40, outcome: "FAILURE", failed: 2, error: "boom" })]);
  });

  test("a run: running, completed with its duration; a duplicate of each step logs nothing more", async () => {
    const schedule = await createSchedule({ ownerId: OWNER });
    const t0 = new Date();
    const run = await systemDb().reviewRun.create({ data: { scheduledReviewId: schedule.id, ownerId: OWNER, trigger: "MANUAL", scheduledFor: t0, queuedAt: t0 } });
    await markRunning({ runId: run.id, inngestRunId: "inn_1", attempt: 0, now: t0 });
    await markRunning({ runId: run.id, inngestRunId: "inn_1", attempt: 0, now: t0 }); // the same step again
    await completeRun({ runId: run.id, now: new Date(t0.getTime() + 4_200) });
    await completeRun({ runId: run.id, now: new Date(t0.getTime() + 5_000) });

    expect(events("run.running")).toEqual([expect.objectContaining({ run_id: run.id, schedule_id: schedule.id, owner_id: OWNER, attempt: 0, inngest_run_id: "inn_1", from: "QUEUED" })]);
    expect(events("run.completed")).toEqual([expect.objectContaining({ run_id: run.id, schedule_id: schedule.id, owner_id: OWNER, duration_ms: 4_200 })]);
  });

  test("a failed run: run.failed at warn with its error code and duration, once", async () => {
    const schedule = await createSchedule({ ownerId: OWNER });
    const t0 = new Date();
    const run = await systemDb().reviewRun.create({ data: { scheduledReviewId: schedule.id, ownerId: OWNER, trigger: "MANUAL", scheduledFor: t0, queuedAt: t0 } });
    await failRun({ runId: run.id, errorCode: "crm_unavailable", errorMessage: "CRM down", now: new Date(t0.getTime() + 900) });
    await failRun({ runId: run.id, errorCode: "crm_unavailable", errorMessage: "CRM down" });
    expect(events("run.failed")).toEqual([
      expect.objectContaining({ level: 40, run_id: run.id, schedule_id: schedule.id, owner_id: OWNER, error_code: "crm_unavailable", duration_ms: 900 }),
    ]);
  });

  test("run now: run.queued with trigger manual", async () => {
    const schedule = await createSchedule({ ownerId: OWNER });
    // The hand-over to Inngest may fail here (no executor in process): the run was queued all the same.
    const run = await runNow(OWNER, schedule.id, "user_logs").catch(async () => systemDb().reviewRun.findFirstOrThrow({ where: { scheduledReviewId: schedule.id } }));
    expect(events("run.queued")).toEqual([expect.objectContaining({ run_id: run.id, schedule_id: schedule.id, owner_id: OWNER, trigger: "manual" })]);
  });
});

// The stuck-run reconciler on Postgres: the reconcile-stuck-runs function driven in-process by the
// executor double (repaired runs really run their review), and lib/scheduler/reconcile at fixed
// instants for the repair budget and the compare-and-set writes.
// Time control: Date is faked (timers stay real) so "now" is a chosen instant.
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { systemDb } from "@/lib/db";
import type { RunStatus } from "@/lib/generated/prisma/client";
import { findStuckRuns, reconcileRuns, settleStuckRun, TIMED_OUT_MESSAGE } from "@/lib/scheduler/reconcile";
import { resetDb } from "@/tests/support/db";
import { createSchedule, FN, requestedEvent, inProcessInngestForFile } from "@/tests/support/in-process-inngest";

const RECONCILE_FN = "revwatch-reconcile-stuck-runs";
const NOW = Date.parse("2026-04-01T12:00:00Z");
const minutesAgo = (m: number) => new Date(NOW - m * 60_000);
const at = (minutesLater: number) => new Date(NOW + minutesLater * 60_000);

const inngest = inProcessInngestForFile();
beforeEach(async () => {
  await resetDb();
  vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
  vi.setSystemTime(NOW);
});
afterEach(async () => {
  await inngest.fake.waitForIdle(20_000);
  vi.useRealTimers();
});

type Seed = { status?: RunStatus; queuedMinutesAgo: number; startedMinutesAgo?: number; repairCount?: number; ownerId?: string };
/** A run of its own schedule (never due, so nothing else touches it), as the dispatcher would leave it. */
async function seedRun(s: Seed) {
  const schedule = await createSchedule({ nextRunAt: null, ownerId: s.ownerId });
  const queuedAt = minutesAgo(s.queuedMinutesAgo);
  return systemDb().reviewRun.create({
    data: {
      scheduledReviewId: schedule.id,
      ownerId: schedule.ownerId,
      trigger: "SCHEDULED",
      scheduledFor: queuedAt,
      queuedAt,
      status: s.status ?? "QUEUED",
      startedAt: s.startedMinutesAgo === undefined ? null : minutesAgo(s.startedMinutesAgo),
      repairCount: s.repairCount ?? 0,
    },
  });
}
const runOf = (id: string) => systemDb().reviewRun.findUniqueOrThrow({ where: { id } });
const eventsFor = (name: string, runId: string) => inngest.fake.events.filter((e) => e.name === name && e.data.runId === runId);
const reconcileTicks = () => systemDb().schedulerTick.findMany({ where: { kind: "RECONCILE" }, orderBy: { startedAt: "asc" } });
async function reconcileTick() {
  const record = await inngest.fake.triggerCron(RECONCILE_FN);
  await inngest.fake.waitForIdle(20_000);
  return record;
}

describe("reconcile-stuck-runs through the executor double", () => {
  test("a run queued 11 minutes ago is re-sent under a new event id and completes; the late original is not run again", async () => {
    const queued = await seedRun({ queuedMinutesAgo: 11 });
    const record = await reconcileTick();
    expect(record).toMatchObject({ status: "completed", output: { outcome: "SUCCESS", examined: 1, repaired: 1, failed: 0 } });

    expect(eventsFor("review/run.requested", queued.id)).toMatchObject([
      { id: `${queued.id}:repair:1`, data: { runId: queued.id, scheduleId: queued.scheduledReviewId, ownerId: queued.ownerId } },
    ]);
    const run = await runOf(queued.id);
    expect(run).toMatchObject({ status: "COMPLETED", repairCount: 1, dealsAnalyzed: 120, inngestEventId: `${queued.id}:repair:1`, errorCode: null });
    expect(await reconcileTicks()).toMatchObject([
      { outcome: "SUCCESS", dueCount: 1, repaired: 1, failed: 0, error: null, details: expect.objectContaining({ stuck_queued: 0, timed_out: 0 }) },
    ]);
    expect((await reconcileTicks())[0].finishedAt).not.toBeNull();

    // The original event was only delayed, not lost: it must not run the review a second time.
    const late = await inngest.fake.run(FN.review, requestedEvent(queued));
    expect(late).toMatchObject({ status: "completed", output: { proceed: false, reason: "duplicate_event" } });
    expect(await runOf(queued.id)).toMatchObject({ status: "COMPLETED", inngestRunId: run.inngestRunId, completedAt: run.completedAt, analysisId: run.analysisId });
    expect(await systemDb().analysis.count()).toBe(1);
  });

  test("repairs used up and queued 31 minutes: FAILED stuck_queued, review/run.failed sent, nothing re-sent", async () => {
    const queued = await seedRun({ queuedMinutesAgo: 31, repairCount: 2 });
    const record = await reconcileTick();
    expect(record.output).toMatchObject({ outcome: "SUCCESS", repaired: 0, failed: 1 });

    const run = await runOf(queued.id);
    const [t] = await reconcileTicks();
    expect(run).toMatchObject({ status: "FAILED", errorCode: "stuck_queued", completedAt: t.startedAt, repairCount: 2 });
    expect(run.errorMessage).toMatch(/queued for 31 minutes and re-sent to the executor 2 times/);
    expect(eventsFor("review/run.requested", queued.id)).toEqual([]);
    expect(eventsFor("review/run.failed", queued.id)).toMatchObject([
      { data: { runId: queued.id, scheduleId: queued.scheduledReviewId, ownerId: queued.ownerId, errorCode: "stuck_queued", errorMessage: run.errorMessage } },
    ]);
    expect(await reconcileTicks()).toMatchObject([{ outcome: "SUCCESS", dueCount: 1, repaired: 0, failed: 1, details: expect.objectContaining({ stuck_queued: 1 }) }]);
  });

  test("a run RUNNING for over 30 minutes is FAILED timed_out; one running 29 minutes is left alone", async () => {
    const stale = await seedRun({ status: "RUNNING", queuedMinutesAgo: 40, startedMinutesAgo: 31 });
    const busy = await seedRun({ status: "RUNNING", queuedMinutesAgo: 40, startedMinutesAgo: 29 });
    const record = await reconcileTick();
    expect(record.output).toMatchObject({ outcome: "SUCCESS", examined: 1, repaired: 0, failed: 1 });

    const [t] = await reconcileTicks();
    const failed = await runOf(stale.id);
    expect(failed).toMatchObject({ status: "FAILED", errorCode: "timed_out", errorMessage: TIMED_OUT_MESSAGE, completedAt: t.startedAt });
    expect(failed.durationMs).toBe(t.startedAt.getTime() - stale.startedAt!.getTime());
    expect(eventsFor("review/run.failed", stale.id)).toMatchObject([{ data: { runId: stale.id, errorCode: "timed_out", errorMessage: TIMED_OUT_MESSAGE } }]);
    expect(await runOf(busy.id)).toMatchObject({ status: "RUNNING", errorCode: null });
    expect(eventsFor("review/run.failed", busy.id)).toEqual([]);
    expect(t).toMatchObject({ outcome: "SUCCESS", failed: 1, details: expect.objectContaining({ timed_out: 1 }) });
  });

  test("nothing stuck: the tick is still recorded, with zero counts", async () => {
    await seedRun({ queuedMinutesAgo: 9 });
    await seedRun({ status: "COMPLETED", queuedMinutesAgo: 120, startedMinutesAgo: 119 });
    const record = await reconcileTick();
    expect(record.output).toMatchObject({ outcome: "SUCCESS", examined: 0, repaired: 0, failed: 0 });
    expect(await reconcileTicks()).toMatchObject([{ outcome: "SUCCESS", dueCount: 0, repaired: 0, failed: 0 }]);
  });
});

describe("reconcileRuns at fixed instants", () => {
  test("a run the executor never picks up: repaired at 10 and 20 minutes, failed at 30", async () => {
    const queued = await seedRun({ queuedMinutesAgo: 0 });
    const pass = async (minutesLater: number) => {
      const r = await reconcileRuns({ now: at(minutesLater) });
      return { repaired: r.repaired.map((x) => x.eventId), failed: r.failed.map((x) => x.errorCode), waiting: r.details.waiting };
    };
    expect(await pass(9)).toEqual({ repaired: [], failed: [], waiting: 0 });
    expect(await pass(11)).toEqual({ repaired: [`${queued.id}:repair:1`], failed: [], waiting: 0 });
    expect(await pass(16)).toEqual({ repaired: [], failed: [], waiting: 1 });
    expect(await pass(21)).toEqual({ repaired: [`${queued.id}:repair:2`], failed: [], waiting: 0 });
    expect(await pass(26)).toEqual({ repaired: [], failed: [], waiting: 1 });
    expect(await pass(31)).toEqual({ repaired: [], failed: ["stuck_queued"], waiting: 0 });
    expect(await pass(36)).toEqual({ repaired: [], failed: [], waiting: 0 });
    expect(await runOf(queued.id)).toMatchObject({ status: "FAILED", errorCode: "stuck_queued", repairCount: 2 });
  });

  test("concurrent passes claim a repair once and do not spend the next one early", async () => {
    const queued = await seedRun({ queuedMinutesAgo: 12 });
    const results = await Promise.all([1, 2, 3, 4].map(() => reconcileRuns({ now: new Date(NOW) })));
    expect(results.flatMap((r) => r.repaired.map((x) => x.eventId))).toEqual([`${queued.id}:repair:1`]);
    // The others lost the compare-and-set, or read the claimed row and found repair 2 not yet due.
    expect(results.reduce((n, r) => n + r.details.raced + r.details.waiting, 0)).toBe(3);
    expect(await runOf(queued.id)).toMatchObject({ status: "QUEUED", repairCount: 1 });
  });

  test("a run that completes between read and write is never overwritten", async () => {
    const running = await seedRun({ status: "RUNNING", queuedMinutesAgo: 45, startedMinutesAgo: 40 });
    const exhausted = await seedRun({ queuedMinutesAgo: 35, repairCount: 2 });
    const stuck = await findStuckRuns(new Date(NOW));
    expect(stuck.map((r) => r.id).sort()).toEqual([running.id, exhausted.id].sort());

    // Both finish after the reconciler read them and before it writes.
    await systemDb().reviewRun.updateMany({ where: { id: { in: [running.id, exhausted.id] } }, data: { status: "COMPLETED", completedAt: new Date(NOW) } });
    for (const r of stuck) expect(await settleStuckRun(r, new Date(NOW))).toEqual({ kind: "raced" });
    for (const id of [running.id, exhausted.id]) expect(await runOf(id)).toMatchObject({ status: "COMPLETED", errorCode: null, errorMessage: null });
  });

  test("a queued run that starts between read and write is neither repaired nor failed; a restarted run is not timed out", async () => {
    const queued = await seedRun({ queuedMinutesAgo: 12 });
    const exhausted = await seedRun({ queuedMinutesAgo: 35, repairCount: 2 });
    const replayed = await seedRun({ status: "RUNNING", queuedMinutesAgo: 60, startedMinutesAgo: 45 });
    const stuck = await findStuckRuns(new Date(NOW));
    expect(stuck).toHaveLength(3);

    // Still active, so only the compare-and-set on what was read keeps these rows as they are.
    await systemDb().reviewRun.updateMany({ where: { id: { in: [queued.id, exhausted.id] } }, data: { status: "RUNNING", startedAt: new Date(NOW) } });
    // A dashboard replay restarted the same row: a fresh attempt, not the stuck one that was read.
    await systemDb().reviewRun.update({ where: { id: replayed.id }, data: { startedAt: minutesAgo(1) } });
    for (const r of stuck) expect(await settleStuckRun(r, new Date(NOW))).toEqual({ kind: "raced" });
    expect(await runOf(queued.id)).toMatchObject({ status: "RUNNING", repairCount: 0 });
    for (const id of [exhausted.id, replayed.id]) expect(await runOf(id)).toMatchObject({ status: "RUNNING", errorCode: null });
  });

  test("only QUEUED and RUNNING runs are considered; the oldest come first within the batch limit", async () => {
    for (const status of ["COMPLETED", "FAILED", "SKIPPED"] as const) await seedRun({ status, queuedMinutesAgo: 90 });
    const older = await seedRun({ queuedMinutesAgo: 50 });
    await seedRun({ queuedMinutesAgo: 20 });
    const stuck = await findStuckRuns(new Date(NOW), 1);
    expect(stuck.map((r) => r.id)).toEqual([older.id]);
  });
});

// A dispatcher tick whose process was killed mid-tick (SIGKILL after it queued runs, before their
// events went out) leaves exactly this behind: a tick RUNNING forever and runs QUEUED with no event.
// The next tick must close it as failed (counted) and hand its queued runs to Inngest at once,
// not 10 minutes later through the reconciler.
import { beforeEach, describe, expect, test } from "vitest";
import { systemDb } from "@/lib/db";
import { STALE_TICK_ERROR } from "@/lib/scheduler/ticks";
import { resetDb } from "@/tests/support/db";
import { createSchedule, FN, inProcessInngestForFile } from "@/tests/support/in-process-inngest";

const inngest = inProcessInngestForFile();
beforeEach(resetDb);

describe("a dispatcher killed mid-tick", () => {
  test("the next tick closes it as FAILURE and its queued runs are sent and complete", async () => {
    const killedAt = new Date(Date.now() - 6 * 60_000);
    const dead = await systemDb().schedulerTick.create({ data: { kind: "DISPATCH", startedAt: killedAt, outcome: "RUNNING" } });
    const schedule = await createSchedule({ nextRunAt: new Date(Date.now() + 3_600_000) }); // already advanced by the dead tick
    const stranded = await systemDb().reviewRun.create({
      data: { scheduledReviewId: schedule.id, ownerId: schedule.ownerId, trigger: "SCHEDULED", scheduledFor: killedAt, queuedAt: killedAt },
    });
    // A tick that is merely slow (younger than the stale limit) is left alone.
    const slow = await systemDb().schedulerTick.create({ data: { kind: "DISPATCH", startedAt: new Date(Date.now() - 30_000), outcome: "RUNNING" } });

    const record = await inngest.fake.triggerCron(FN.dispatch);
    await inngest.fake.waitForIdle(20_000);

    expect(record, JSON.stringify({ error: record.error, log: record.log })).toMatchObject({ status: "completed", output: { outcome: "SUCCESS" } });
    expect(await systemDb().schedulerTick.findUniqueOrThrow({ where: { id: dead.id } })).toMatchObject({
      outcome: "FAILURE",
      error: STALE_TICK_ERROR,
      durationMs: expect.any(Number),
    });
    expect(await systemDb().schedulerTick.findUniqueOrThrow({ where: { id: slow.id } })).toMatchObject({ outcome: "RUNNING" });
    const sent = inngest.fake.events.filter((e) => e.name === "review/run.requested" && e.data.runId === stranded.id);
    expect(sent).toHaveLength(1);
    expect(await systemDb().reviewRun.findUniqueOrThrow({ where: { id: stranded.id } })).toMatchObject({ status: "COMPLETED" });
  });
});

// The scheduler's heartbeat as getSchedulerStatus reports it, at chosen instants (in process, on
// Postgres): "not running" after 2 silent minutes, a killed tick closed and counted, ticks per hour,
// and the slots a silence left unrun reported as "not run: scheduler down", per tenant.
import { beforeEach, describe, expect, test } from "vitest";
import { systemDb } from "@/lib/db";
import type { TickOutcome } from "@/lib/generated/prisma/client";
import { getSchedulerStatus } from "@/lib/scheduler/status";
import { closeTick, emptyCounts, openTick } from "@/lib/scheduler/ticks";
import { resetDb } from "@/tests/support/db";
import { createSchedule } from "@/tests/support/in-process-inngest";

const A = "user_health_a";
const B = "user_health_b";
const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = new Date("2026-06-10T12:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

beforeEach(async () => {
  await resetDb();
});

/** One successful dispatcher tick per minute in [from, to). */
async function ticksEveryMinute(from: Date, to: Date, durationMs = 800, outcome: TickOutcome = "SUCCESS") {
  const data = [];
  for (let t = from.getTime(); t < to.getTime(); t += MIN) {
    data.push({ kind: "DISPATCH" as const, outcome, startedAt: new Date(t), finishedAt: new Date(t + durationMs), durationMs, dueCount: 7, dispatched: 7 });
  }
  await systemDb().schedulerTick.createMany({ data });
}

async function hourly(ownerId: string, createdAt: Date) {
  const s = await createSchedule({ ownerId, cron: "0 * * * *", nextRunAt: at(HOUR) });
  return systemDb().scheduledReview.update({ where: { id: s.id }, data: { createdAt } });
}

describe("running: a dispatcher tick within 2 minutes", () => {
  test("a tick that finished: running for 2 minutes after its start, then not running", async () => {
    const { tickId } = await openTick("DISPATCH", T0);
    await closeTick({ tickId, counts: emptyCounts(), now: at(900) });
    expect(await getSchedulerStatus(A, at(2 * MIN - 1_000))).toMatchObject({ running: true, consecutive_failures: 0, last_tick: { outcome: "success", duration_ms: 900 } });
    expect(await getSchedulerStatus(A, at(2 * MIN + 1_000))).toMatchObject({
      running: false,
      last_tick_at: T0.toISOString(),
      last_success_at: T0.toISOString(),
    });
    expect((await getSchedulerStatus(A, at(2 * MIN + 1_000))).down_periods.at(-1)).toEqual({ from: T0.toISOString(), to: null });
  });

  test("a tick whose process died: not running after 2 minutes, timed out and counted after 3, closed as failed by the next tick", async () => {
    const ok = await openTick("DISPATCH", at(-MIN));
    await closeTick({ tickId: ok.tickId, counts: emptyCounts(), now: at(-MIN + 500) });
    await openTick("DISPATCH", T0); // never closed: its process was killed

    expect(await getSchedulerStatus(A, at(MIN))).toMatchObject({ running: true, consecutive_failures: 0, last_tick: { outcome: "running", duration_ms: null } });
    expect(await getSchedulerStatus(A, at(2 * MIN + 1_000))).toMatchObject({ running: false, consecutive_failures: 0, last_tick: { outcome: "running" } });
    expect(await getSchedulerStatus(A, at(3 * MIN + 1_000))).toMatchObject({ running: false, consecutive_failures: 1, last_tick: { outcome: "timed_out" } });

    // The scheduler comes back: its first tick closes the dead one as failed, and the count stays 1.
    const next = await openTick("DISPATCH", at(5 * MIN));
    const dead = await systemDb().schedulerTick.findFirstOrThrow({ where: { startedAt: T0 } });
    expect(dead).toMatchObject({ outcome: "FAILURE", durationMs: 5 * MIN });
    expect(await getSchedulerStatus(A, at(5 * MIN + 1_000))).toMatchObject({
      running: true,
      consecutive_failures: 1,
      last_success_at: at(-MIN).toISOString(),
      last_tick: { outcome: "running", started_at: at(5 * MIN).toISOString() },
    });
    await closeTick({ tickId: next.tickId, counts: emptyCounts(), now: at(5 * MIN + 700) });
    expect(await getSchedulerStatus(A, at(5 * MIN + 1_000))).toMatchObject({ running: true, consecutive_failures: 0, last_success_at: at(5 * MIN).toISOString() });
  });
});

describe("ticks per hour", () => {
  test("24 UTC hours, oldest first: counts, failures and p50/max of the finished ticks; silent hours are zero", async () => {
    const now = at(30 * MIN); // 12:30: the window is 13:00 yesterday .. 12:59 today
    await ticksEveryMinute(at(-2 * HOUR), at(-HOUR - 57 * MIN), 1_000); // 10:00, 10:01, 10:02
    await ticksEveryMinute(at(-HOUR - 57 * MIN), at(-HOUR - 56 * MIN), 4_000, "FAILURE"); // 10:03
    await ticksEveryMinute(at(0), at(2 * MIN), 600); // 12:00, 12:01
    await openTick("DISPATCH", at(2 * MIN)); // 12:02, died: timed out by 12:30
    const s = await getSchedulerStatus(A, now);
    expect(s.ticks_per_hour).toHaveLength(24);
    expect(s.ticks_per_hour[0]!.hour).toBe("2026-06-09T13:00:00.000Z");
    expect(s.ticks_per_hour.at(-1)).toEqual({ hour: "2026-06-10T12:00:00.000Z", ticks: 3, failures: 1, p50_ms: 600, max_ms: 600 });
    expect(s.ticks_per_hour.at(-3)).toEqual({ hour: "2026-06-10T10:00:00.000Z", ticks: 4, failures: 1, p50_ms: 1_000, max_ms: 4_000 });
    expect(s.ticks_per_hour.at(-2)).toEqual({ hour: "2026-06-10T11:00:00.000Z", ticks: 0, failures: 0, p50_ms: null, max_ms: null });
    expect(s).toMatchObject({ running: false, consecutive_failures: 1, last_tick: { outcome: "timed_out" } });
  });
});

describe("missed while down: the tenant's slots due during a silence, reported as the scheduler's", () => {
  test("slots in a past silence and in the current one, minus those that got a run; another tenant's are not listed", async () => {
    const now = at(30 * MIN); // 12:30
    const mine = await hourly(A, at(-10 * HOUR));
    const young = await hourly(A, at(-3 * HOUR - 30 * MIN)); // created 08:30
    await createSchedule({ ownerId: A, cron: "* * * * *", isActive: false, nextRunAt: at(HOUR) }); // paused: owes nothing
    const theirs = await hourly(B, at(-10 * HOUR));
    // Ticks 04:00..06:59, silence until 09:40 (slots 07:00, 08:00, 09:00 unrun), ticks 09:40..12:09, silence since.
    await ticksEveryMinute(at(-8 * HOUR), at(-5 * HOUR));
    await ticksEveryMinute(at(-2 * HOUR - 20 * MIN), at(10 * MIN));
    // 09:00 came back as a catch-up run when the scheduler returned: it ran, late.
    await systemDb().reviewRun.create({
      data: { scheduledReviewId: mine.id, ownerId: A, trigger: "SCHEDULED", status: "COMPLETED", scheduledFor: at(-3 * HOUR), queuedAt: at(-2 * HOUR - 20 * MIN), missedSlots: 2 },
    });

    const s = await getSchedulerStatus(A, now);
    expect(s.running).toBe(false);
    expect(s.down_periods).toEqual([
      { from: "2026-06-09T13:00:00.000Z", to: at(-8 * HOUR).toISOString() }, // before the first tick of the window
      { from: at(-5 * HOUR - MIN).toISOString(), to: at(-2 * HOUR - 20 * MIN).toISOString() },
      { from: at(9 * MIN).toISOString(), to: null },
    ]);
    const slot = (schedule: { id: string }, ms: number) => ({ schedule_id: schedule.id, schedule_name: "Weekly pipeline review", due_at: at(ms).toISOString() });
    // Current silence: no hourly slot in (12:09, 12:28). Past silence (06:59, 09:38): 07:00, 08:00 (09:00
    // ran); the young schedule exists since 08:30, so it owes 09:00. Before the first tick (13:00
    // yesterday .. 03:58) only 03:00: the schedule was created at 02:00.
    expect(s.missed_while_down).toEqual({
      reason: "not run: scheduler down",
      window_from: "2026-06-09T13:00:00.000Z",
      window_to: now.toISOString(),
      count: 4,
      slots: [slot(young, -3 * HOUR), slot(mine, -4 * HOUR), slot(mine, -5 * HOUR), slot(mine, -9 * HOUR)],
    });
    expect(JSON.stringify(s)).not.toContain(theirs.id);

    const b = await getSchedulerStatus(B, now);
    expect(b.missed_while_down.slots.map((m) => m.schedule_id)).toEqual([theirs.id, theirs.id, theirs.id, theirs.id]);
    expect(JSON.stringify(b)).not.toContain(mine.id);
  });

  test("a healthy scheduler owes nothing", async () => {
    const now = at(30 * MIN);
    await hourly(A, at(-30 * HOUR));
    await ticksEveryMinute(at(-25 * HOUR), at(30 * MIN));
    const s = await getSchedulerStatus(A, now);
    expect(s).toMatchObject({ running: true, down_periods: [], missed_while_down: { count: 0, slots: [] } });
  });
});

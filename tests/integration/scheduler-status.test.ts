// GET /api/scheduler/status over HTTP: the global heartbeat from SchedulerTick rows (never their
// counts, which add up every tenant's work), and the caller's own schedules, next runs and stuck runs
// (never another tenant's). Instants chosen by hand: tests/integration/scheduler-health.test.ts.
// The app runs on real time, so rows are seeded relative to the clock now.
import { beforeEach, describe, expect, test } from "vitest";
import { systemDb } from "@/lib/db";
import type { RunStatus, TickKind, TickOutcome } from "@/lib/generated/prisma/client";
import { schedulerStatusSchema } from "@/lib/scheduler/schemas";
import { api } from "@/tests/support/api";
import { resetDb } from "@/tests/support/db";
import { createSchedule } from "@/tests/support/in-process-inngest";

const A = { userId: "user_status_a" };
const B = { userId: "user_status_b" };
const HOUR = 3_600_000;
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);

beforeEach(async () => {
  await resetDb();
});

async function tick(minutesAgo: number, outcome: TickOutcome, kind: TickKind = "DISPATCH", counts: { due?: number; dispatched?: number; skipped?: number; missed?: number } = {}) {
  const startedAt = ago(minutesAgo);
  const done = outcome !== "RUNNING";
  return systemDb().schedulerTick.create({
    data: {
      kind,
      outcome,
      startedAt,
      finishedAt: done ? new Date(startedAt.getTime() + 1_500) : null,
      durationMs: done ? 1_500 : null,
      dueCount: counts.due ?? 0,
      dispatched: counts.dispatched ?? 0,
      skipped: counts.skipped ?? 0,
      missed: counts.missed ?? 0,
    },
  });
}

async function run(schedule: { id: string; ownerId: string }, status: RunStatus, queuedMinutesAgo: number, startedMinutesAgo?: number) {
  const queuedAt = ago(queuedMinutesAgo);
  await systemDb().reviewRun.create({
    data: {
      scheduledReviewId: schedule.id,
      ownerId: schedule.ownerId,
      trigger: "SCHEDULED",
      scheduledFor: queuedAt,
      queuedAt,
      status,
      startedAt: startedMinutesAgo === undefined ? null : ago(startedMinutesAgo),
    },
  });
}

async function status(who: typeof A) {
  const res = await api("GET", "/api/scheduler/status", who);
  expect(res.status).toBe(200);
  return schedulerStatusSchema.parse(res.body);
}

describe("GET /api/scheduler/status", () => {
  test("needs a session", async () => {
    const res = await api("GET", "/api/scheduler/status", null);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: { code: "unauthorized" } });
  });

  test("before the first tick: not running, nothing recorded", async () => {
    const s = await status(A);
    expect(s).toMatchObject({
      running: false,
      last_tick_at: null,
      last_success_at: null,
      consecutive_failures: 0,
      last_tick: null,
      last_reconcile_at: null,
      active_schedules: 0,
      jobs_count: 0,
      next_runs: [],
      stuck_runs: 0,
      missed_while_down: { reason: "not run: scheduler down", count: 0, slots: [] },
    });
    expect(s.ticks_per_hour).toHaveLength(24);
    expect(s.ticks_per_hour.every((h) => h.ticks === 0 && h.p50_ms === null)).toBe(true);
  });

  test("a dispatcher tick 30 seconds ago: running; the tick's timing is shown, never the platform's counts", async () => {
    await tick(3, "SUCCESS");
    // Counts of every tenant's work (B's included): none of them reaches A.
    const latest = await tick(0.5, "SUCCESS", "DISPATCH", { due: 4_321, dispatched: 3_987, skipped: 1_234, missed: 2_468 });
    const reconcile = await tick(2, "SUCCESS", "RECONCILE");
    await createSchedule({ ownerId: B.userId });
    await createSchedule({ ownerId: B.userId });
    await createSchedule({ ownerId: A.userId });
    const res = await api("GET", "/api/scheduler/status", A);
    expect(res.status).toBe(200);
    const s = schedulerStatusSchema.parse(res.body);
    expect(s).toMatchObject({
      running: true,
      last_tick_at: latest.startedAt.toISOString(),
      last_success_at: latest.startedAt.toISOString(),
      consecutive_failures: 0,
      last_tick: { outcome: "success", started_at: latest.startedAt.toISOString(), duration_ms: 1_500 },
      last_reconcile_at: reconcile.startedAt.toISOString(),
      active_schedules: 1,
      jobs_count: 1,
    });
    expect(Object.keys(s.last_tick!).sort()).toEqual(["duration_ms", "outcome", "started_at"]);
    const raw = JSON.stringify(res.body);
    for (const leaked of ["4321", "3987", "1234", "2468", "dispatched", "\"due\""]) expect(raw).not.toContain(leaked);
    // Both ticks fall in the last one or two UTC hours (the clock may have just turned).
    expect(s.ticks_per_hour.reduce((n, h) => n + h.ticks, 0)).toBe(2);
    expect(s.ticks_per_hour.at(-1)).toMatchObject({ failures: 0, max_ms: 1_500 });
  });

  test("the last dispatcher tick 5 minutes ago: not running (a recent reconcile tick does not count)", async () => {
    const latest = await tick(5, "SUCCESS");
    await tick(0.5, "SUCCESS", "RECONCILE");
    await tick(0.5, "SUCCESS", "POSTCHECK");
    expect(await status(A)).toMatchObject({ running: false, last_tick_at: latest.startedAt.toISOString(), last_success_at: latest.startedAt.toISOString() });
  });

  test("failures since the last success are counted; a tick still running is not a failure", async () => {
    await tick(12, "FAILURE"); // before the last success: forgiven
    const success = await tick(10, "SUCCESS");
    for (const m of [8, 6, 4]) await tick(m, "FAILURE");
    const current = await tick(1, "RUNNING");
    expect(await status(A)).toMatchObject({
      running: true,
      last_tick_at: current.startedAt.toISOString(),
      last_success_at: success.startedAt.toISOString(),
      consecutive_failures: 3,
      last_tick: { outcome: "running", duration_ms: null },
    });
  });

  test("never a success: every failed tick counts", async () => {
    for (const m of [3, 2, 1]) await tick(m, "FAILURE");
    expect(await status(A)).toMatchObject({ running: true, last_success_at: null, consecutive_failures: 3, last_tick: { outcome: "failure" } });
  });

  test("schedules, next runs and stuck runs are the caller's own", async () => {
    const hour = new Date(Math.ceil(Date.now() / HOUR) * HOUR + HOUR);
    const hourly = await createSchedule({ ownerId: A.userId, cron: "0 * * * *", nextRunAt: hour });
    const daily = await createSchedule({ ownerId: A.userId, cron: "30 6 * * *", nextRunAt: new Date(hour.getTime() + 2.5 * HOUR) });
    await createSchedule({ ownerId: A.userId, nextRunAt: new Date(Date.now() + 60_000), isActive: false });
    // B's schedule is due sooner than any of A's, and B has stuck runs of its own.
    const other = await createSchedule({ ownerId: B.userId, cron: "* * * * *", nextRunAt: new Date(Date.now() + 30_000) });

    await run(hourly, "QUEUED", 11); // stuck
    await run(daily, "RUNNING", 45, 31); // stuck
    await run(hourly, "QUEUED", 5); // recently queued
    await run(daily, "RUNNING", 20, 10); // still within its time
    await run(hourly, "COMPLETED", 120, 119);
    await run(daily, "FAILED", 120, 119);
    await run(other, "QUEUED", 15);
    await run(other, "RUNNING", 60, 50);
    await run(other, "QUEUED", 90);

    const mine = await status(A);
    expect(mine.active_schedules).toBe(2);
    expect(mine.stuck_runs).toBe(2);
    const slot = (s: { id: string }, ms: number) => ({ schedule_id: s.id, schedule_name: "Weekly pipeline review", next_run_at: new Date(ms).toISOString() });
    const h = hour.getTime();
    expect(mine.next_runs).toEqual([slot(hourly, h), slot(hourly, h + HOUR), slot(hourly, h + 2 * HOUR), slot(daily, h + 2.5 * HOUR), slot(hourly, h + 3 * HOUR)]);

    const theirs = await status(B);
    expect(theirs).toMatchObject({ active_schedules: 1, stuck_runs: 3 });
    expect(theirs.next_runs).toHaveLength(5);
    expect(new Set(theirs.next_runs.map((r) => r.schedule_id))).toEqual(new Set([other.id]));
    expect(await status({ userId: "user_status_nobody" })).toMatchObject({ active_schedules: 0, next_runs: [], stuck_runs: 0 });
  });
});

// The monitoring report and the coverage postcheck on Postgres, against hand-computed values on a
// fixed data set: percentiles (linear interpolation, as percentile_cont), rates, trend, error groups,
// backlog, missed/skipped slots; coverage over DST weeks; repair run twice at once.
import { beforeEach, describe, expect, test } from "vitest";
import { systemDb } from "@/lib/db";
import { computeCoverage } from "@/lib/monitoring/coverage";
import { getMonitoring } from "@/lib/monitoring/metrics";
import { repairCoverage } from "@/lib/monitoring/repair";
import { runPostcheck } from "@/lib/monitoring/postcheck";
import { resetDb } from "@/tests/support/db";
import { createSchedule, inProcessInngestForFile } from "@/tests/support/in-process-inngest";

const inngest = inProcessInngestForFile();
beforeEach(async () => {
  await inngest.fake.waitForIdle(20_000);
  await resetDb();
});

const NOW = new Date("2026-06-10T12:00:00.000Z");
const ago = (h: number, plusMs = 0) => new Date(NOW.getTime() - h * 3_600_000 + plusMs);
const OWNER = "org_mon";

type RunSeed = { status: "COMPLETED" | "FAILED" | "SKIPPED" | "QUEUED"; queued: Date; durationMs?: number; code?: string; message?: string; missed?: number };
async function seedRuns(scheduleId: string, ownerId: string, runs: RunSeed[]) {
  for (const [i, r] of runs.entries()) {
    const started = r.status === "QUEUED" ? null : new Date(r.queued.getTime() + 2_000);
    await systemDb().reviewRun.create({
      data: {
        scheduledReviewId: scheduleId,
        ownerId,
        trigger: "SCHEDULED",
        scheduledFor: new Date(r.queued.getTime() - i), // unique slots
        queuedAt: r.queued,
        status: r.status,
        startedAt: started,
        completedAt: started && r.durationMs !== undefined ? new Date(started.getTime() + r.durationMs) : started,
        errorCode: r.code ?? null,
        errorMessage: r.message ?? null,
        missedSlots: r.missed ?? 0,
      },
    });
  }
}

describe("monitoring report", () => {
  test("matches hand-computed values on a fixed data set, for the workspace and one schedule", async () => {
    const s1 = await createSchedule({ ownerId: OWNER });
    const s2 = await createSchedule({ ownerId: OWNER });
    const other = await createSchedule({ ownerId: "org_other" });
    // s1: 10 completed runs taking 1..10 s (6 in the earlier half, 4 in the later), one skipped, one catch-up with 4 missed slots.
    await seedRuns(s1.id, OWNER, [
      ...[1, 2, 3, 4, 5, 6].map((n) => ({ status: "COMPLETED" as const, queued: ago(20 - n), durationMs: n * 1000, missed: n === 1 ? 4 : 0 })),
      ...[7, 8, 9, 10].map((n) => ({ status: "COMPLETED" as const, queued: ago(12 - n), durationMs: n * 1000 })),
      { status: "SKIPPED", queued: ago(3), code: "overlap" },
      { status: "QUEUED", queued: ago(0.5) },
      { status: "QUEUED", queued: ago(1 / 6) },
    ]);
    // s2: 3 failures, all in the later half.
    await seedRuns(s2.id, OWNER, [
      { status: "FAILED", queued: ago(9), code: "crm_unavailable", message: "down 1" },
      { status: "FAILED", queued: ago(6), code: "crm_unavailable", message: "down 2" },
      { status: "FAILED", queued: ago(5), code: "crm_auth_expired", message: "token expired" },
    ]);
    await seedRuns(other.id, "org_other", [{ status: "FAILED", queued: ago(2), code: "nope" }]); // another tenant
    await seedRuns(s1.id, OWNER, [{ status: "FAILED", queued: ago(30), code: "too_old" }]); // outside the window
    const runs = await systemDb().reviewRun.findMany({ where: { ownerId: OWNER, status: "COMPLETED" }, orderBy: { queuedAt: "asc" } });
    for (const [i, r] of runs.entries()) {
      await systemDb().delivery.create({ data: { runId: r.id, ownerId: OWNER, channel: "EMAIL", target: "x", idempotencyKey: `e${i}`, status: i === 0 ? "FAILED" : "SENT" } });
      if (i < 5) await systemDb().delivery.create({ data: { runId: r.id, ownerId: OWNER, channel: "SLACK", target: "x", idempotencyKey: `s${i}`, status: "SENT" } });
    }

    const m = await getMonitoring(OWNER, { window: "24h" }, NOW);
    expect(m.runs).toEqual({ total: 16, completed: 10, failed: 3, skipped: 1, queued: 2, running: 0 });
    expect(m.success_rate).toBeCloseTo(10 / 13, 10);
    // started -> completed: 1..10 s; p50 = 5.5 s, p95 = 1 + 0.95 x 9 = 9.55 s. Queued 2 s before each start.
    expect(m.duration_ms).toEqual({
      started_to_completed: { p50: 5500, p95: 9550, max: 10000 },
      queued_to_completed: { p50: 7500, p95: 11550, max: 12000 },
    });
    expect(m.delivery).toEqual({ email: { sent: 9, failed: 1, rate: 0.9 }, slack: { sent: 5, failed: 0, rate: 1 } });
    expect(m.error_groups).toEqual([
      { code: "crm_unavailable", count: 2, last_seen: expect.any(String), example_message: "down 2", schedules: [{ id: s2.id, name: s2.name }] },
      { code: "crm_auth_expired", count: 1, last_seen: expect.any(String), example_message: "token expired", schedules: [{ id: s2.id, name: s2.name }] },
    ]);
    expect(m.backlog).toEqual({ queued: 2, oldest_queued_age_ms: 30 * 60_000 });
    // Earlier half: 0 of 6 failed; later half: 3 of 7 failed (+43 points) -> increasing.
    expect(m.trend).toMatchObject({ direction: "increasing", earlier_failure_rate: 0, later_failure_rate: 3 / 7 });
    expect(m.slots).toEqual({ missed: 4, skipped: 1 });
    expect(m.series.reduce((n, b) => n + b.completed, 0)).toBe(10);
    expect(m.series.every((b) => new Date(b.at).getUTCMinutes() === 0)).toBe(true);
    expect(m.schedules.map((s) => [s.id, s.runs, s.failed, s.success_rate])).toEqual([
      [s2.id, 3, 3, 0],
      [s1.id, 13, 0, 1],
    ]);

    const one = await getMonitoring(OWNER, { window: "24h", schedule_id: s2.id }, NOW);
    expect([one.runs.total, one.success_rate, one.backlog.queued]).toEqual([3, 0, 0]);
    await expect(getMonitoring(OWNER, { window: "24h", schedule_id: other.id }, NOW)).rejects.toMatchObject({ code: "not_found" });
    expect((await getMonitoring("org_empty", { window: "7d" }, NOW)).runs.total).toBe(0);
  });
});

const week = (fromIso: string, toIso: string) => ({ from: new Date(fromIso), to: new Date(toIso) });

describe("coverage postcheck", () => {
  test("a DST week in America/New_York: one slot a day, the gap day's moved to 03:00 EDT", async () => {
    const s = await createSchedule({ ownerId: OWNER, cron: "30 2 * * *", timezone: "America/New_York" });
    await systemDb().scheduledReview.update({ where: { id: s.id }, data: { createdAt: new Date("2026-03-01T00:00:00Z"), timingChangedAt: new Date("2026-03-01T00:00:00Z") } });
    const range = week("2026-03-06T00:00:00Z", "2026-03-12T23:59:59Z");
    const slots = ["2026-03-06T07:30Z", "2026-03-07T07:30Z", "2026-03-08T07:00Z", "2026-03-09T06:30Z", "2026-03-10T06:30Z", "2026-03-11T06:30Z", "2026-03-12T06:30Z"];
    for (const [i, slot] of slots.slice(0, 5).entries())
      await systemDb().reviewRun.create({ data: { scheduledReviewId: s.id, ownerId: OWNER, trigger: "SCHEDULED", scheduledFor: new Date(slot), status: i === 4 ? "FAILED" : "COMPLETED" } });
    // The dispatcher ticked around every slot but the last.
    for (const slot of slots.slice(0, 6)) await systemDb().schedulerTick.create({ data: { kind: "DISPATCH", startedAt: new Date(new Date(slot).getTime() + 20_000), outcome: "SUCCESS" } });

    const { dto } = await computeCoverage(OWNER, range, new Date("2026-03-20T00:00:00Z"));
    expect(dto).toMatchObject({ expected: 7, completed: 4, pending: 0, coverage_pct: 57.1, status: "NEEDS_ATTENTION", missing_count: 3 });
    expect(dto.missing.map((m) => [m.slot, m.reason])).toEqual([
      ["2026-03-10T06:30:00.000Z", "failed"],
      ["2026-03-11T06:30:00.000Z", "not_run"],
      ["2026-03-12T06:30:00.000Z", "scheduler_down"],
    ]);
    expect(await computeCoverage("org_other", range, new Date("2026-03-20T00:00:00Z"))).toMatchObject({ dto: { expected: 0, coverage_pct: null, status: "HEALTHY" } });
  });

  test("Australia/Lord_Howe's 30-minute spring-forward: an hourly schedule expects 23 slots that day", async () => {
    const s = await createSchedule({ ownerId: OWNER, cron: "0 * * * *", timezone: "Australia/Lord_Howe" });
    await systemDb().scheduledReview.update({ where: { id: s.id }, data: { createdAt: new Date("2026-01-01T00:00:00Z"), timingChangedAt: new Date("2026-01-01T00:00:00Z") } });
    // 2026-10-04 local midnight (+10:30) to the next local midnight (+11:00).
    const { dto } = await computeCoverage(OWNER, week("2026-10-03T13:30:00Z", "2026-10-04T12:59:59Z"), new Date("2026-10-10T00:00:00Z"));
    expect(dto.expected).toBe(23);
    // The autumn change (2026-04-05, 01:30-02:00 lived twice): a half-hourly schedule follows real time,
    // 49 slots that day against 48 on an ordinary one; a daily 01:30 runs once (first occurrence).
    const at = new Date("2026-10-10T00:00:00Z");
    const halfHourly = await createSchedule({ ownerId: "org_lh", cron: "*/30 * * * *", timezone: "Australia/Lord_Howe" });
    const daily = await createSchedule({ ownerId: "org_lh2", cron: "30 1 * * *", timezone: "Australia/Lord_Howe" });
    await systemDb().scheduledReview.updateMany({ where: { id: { in: [halfHourly.id, daily.id] } }, data: { createdAt: new Date("2026-01-01T00:00:00Z"), timingChangedAt: new Date("2026-01-01T00:00:00Z") } });
    const autumnDay = week("2026-04-04T13:00:00Z", "2026-04-05T13:29:59Z");
    expect((await computeCoverage("org_lh", autumnDay, at)).dto.expected).toBe(49);
    expect((await computeCoverage("org_lh", week("2026-04-11T13:30:00Z", "2026-04-12T13:29:59Z"), at)).dto.expected).toBe(48);
    expect((await computeCoverage("org_lh2", autumnDay, at)).dto.missing.map((m) => m.slot)).toEqual(["2026-04-04T14:30:00.000Z"]);
  });

  test("slots before the schedule existed or still within the dispatch grace are not expected; the postcheck records a tick", async () => {
    const now = new Date();
    const s = await createSchedule({ ownerId: OWNER, cron: "*/10 * * * *", timezone: "UTC" });
    await systemDb().scheduledReview.update({ where: { id: s.id }, data: { createdAt: new Date(now.getTime() - 61 * 60_000), timingChangedAt: new Date(now.getTime() - 61 * 60_000) } });
    const { dto } = await computeCoverage(OWNER, { from: new Date(now.getTime() - 24 * 3_600_000), to: now }, now);
    expect(dto.expected).toBeGreaterThanOrEqual(5);
    expect(dto.expected).toBeLessThanOrEqual(6);
    const post = await runPostcheck(now);
    expect(post.counts).toMatchObject({ due: dto.expected, dispatched: 0, missed: dto.expected });
    expect(post.details).toMatchObject({ status: "NEEDS_ATTENTION", missing_by_owner: [{ owner_id: OWNER, missing: dto.expected }] });
  });

  test("slots folded into a catch-up run are 'collapsed', and repair leaves them alone", async () => {
    const now = new Date();
    const s = await createSchedule({ ownerId: OWNER, cron: "0 * * * *", timezone: "UTC" });
    const sixHoursAgo = new Date(now.getTime() - 6 * 3_600_000);
    await systemDb().scheduledReview.update({ where: { id: s.id }, data: { createdAt: sixHoursAgo, timingChangedAt: sixHoursAgo } });
    const range = { from: new Date(now.getTime() - 24 * 3_600_000), to: now };
    const slots = (await computeCoverage(OWNER, range, now)).missing.map((m) => m.slot);
    // After downtime the dispatcher ran the latest slot once, standing in for the two before it.
    const latest = slots.at(-1)!;
    await systemDb().reviewRun.create({ data: { scheduledReviewId: s.id, ownerId: OWNER, trigger: "SCHEDULED", scheduledFor: latest, status: "COMPLETED", missedSlots: 2 } });
    const { dto } = await computeCoverage(OWNER, range, now);
    expect(dto.missing.filter((m) => m.reason === "collapsed").map((m) => m.slot)).toEqual(slots.slice(-3, -1).map((d) => d.toISOString()));
    const repaired = await repairCoverage(OWNER, range, now);
    expect(repaired.enqueued).toBe(slots.length - 3);
    await inngest.fake.waitForIdle(60_000);
  });

  test("slots while a schedule was paused are not expected: coverage starts when it was resumed", async () => {
    const now = new Date();
    const s = await createSchedule({ ownerId: OWNER, cron: "0 * * * *", timezone: "UTC" });
    await systemDb().scheduledReview.update({ where: { id: s.id }, data: { createdAt: new Date(now.getTime() - 10 * 3_600_000), timingChangedAt: new Date(now.getTime() - 10 * 3_600_000) } });
    const range = { from: new Date(now.getTime() - 24 * 3_600_000), to: now };
    const before = (await computeCoverage(OWNER, range, now)).dto.expected;
    const { updateSchedule } = await import("@/lib/schedules/service");
    const tenant = { ownerId: OWNER, userId: "user_mon", orgId: OWNER, plan: "team" as const, role: "admin" as const };
    await updateSchedule(tenant, s.id, { is_active: false });
    await updateSchedule(tenant, s.id, { is_active: true });
    expect(before).toBeGreaterThanOrEqual(9);
    expect((await computeCoverage(OWNER, range, new Date())).dto.expected).toBe(0);
  });

  test("repair twice at the same time queues each missing slot once, and the runs complete", async () => {
    const now = new Date();
    const s = await createSchedule({ ownerId: OWNER, cron: "0 * * * *", timezone: "UTC" });
    const fiveHoursAgo = new Date(now.getTime() - 5 * 3_600_000);
    await systemDb().scheduledReview.update({ where: { id: s.id }, data: { createdAt: fiveHoursAgo, timingChangedAt: fiveHoursAgo } });
    const skipper = await createSchedule({ ownerId: OWNER, cron: "0 * * * *", timezone: "UTC" });
    await systemDb().scheduledReview.update({ where: { id: skipper.id }, data: { createdAt: fiveHoursAgo, timingChangedAt: fiveHoursAgo, catchUpPolicy: "SKIP" } });
    const range = { from: new Date(now.getTime() - 24 * 3_600_000), to: now };
    const before = (await computeCoverage(OWNER, range, now)).dto;
    const missingOfS = before.missing.filter((m) => m.schedule_id === s.id).length;
    expect(missingOfS).toBeGreaterThanOrEqual(4);

    const [a, b] = await Promise.all([repairCoverage(OWNER, range, now), repairCoverage(OWNER, range, now)]);
    expect(a.enqueued + b.enqueued).toBe(missingOfS);
    expect(a.skipped_by_policy).toBe(before.missing.length - missingOfS);
    const repairs = await systemDb().reviewRun.findMany({ where: { scheduledReviewId: s.id } });
    expect(repairs).toHaveLength(missingOfS);
    expect(repairs.every((r) => r.trigger === "REPAIR")).toBe(true);
    expect(await systemDb().reviewRun.count({ where: { scheduledReviewId: skipper.id } })).toBe(0);
    const sent = inngest.fake.events.filter((e) => e.name === "review/run.requested" && repairs.some((r) => r.id === e.data.runId));
    expect(sent).toHaveLength(missingOfS);

    await inngest.fake.waitForIdle(60_000);
    expect(await systemDb().reviewRun.count({ where: { scheduledReviewId: s.id, status: "COMPLETED" } })).toBe(missingOfS);
    const after = (await computeCoverage(OWNER, range, now)).dto;
    expect(after.schedules.find((x) => x.id === s.id)?.coverage_pct).toBe(100);
    expect((await repairCoverage(OWNER, range, now)).enqueued).toBe(0);
  });
});

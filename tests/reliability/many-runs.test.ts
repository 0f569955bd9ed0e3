// Many reviews at once (RELIABILITY_RUNS: 60 in the suite, 900 for the record) through the
// executor (scripts/local-executor, in-process), with a per-request
// timeout below the CRM's latency: the executor gives up on a step's request and runs the step again
// while the first copy is still running, as Inngest does. Every run must still end completed or
// failed exactly once: none stranded RUNNING, no orphan analysis, no delivery sent twice.
import { beforeAll, describe, expect, test } from "vitest";
import { disconnectDb, systemDb } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { seedRun, setupDeliveryFakes } from "@/tests/support/delivery-fixtures";
import { inProcessInngestForFile, requestedEvent } from "@/tests/support/in-process-inngest";

const RUNS = Number(process.env.RELIABILITY_RUNS ?? 60);
// About 9 step requests a run, 20 in flight: a bound that grows with the count, never unbounded.
const WAIT_MS = Math.max(180_000, RUNS * 1_000);
const OWNERS = 10; // run-review allows 2 at a time per owner: 20 in flight
const inngest = inProcessInngestForFile({ requestTimeoutMs: 5_000, backoffScale: 0.05, maxRuns: RUNS * 3 });
const fakes = setupDeliveryFakes();
beforeAll(async () => {
  // 20 runs in flight (and their twins), each holding a connection in its analysis transaction: a pool to match.
  process.env.DATABASE_POOL_SIZE = "40";
  resetEnvCache();
  await disconnectDb();
});

describe(`${RUNS} simultaneous runs with step requests timing out`, () => {
  test("each ends completed or failed exactly once; 0 stranded, 0 orphan analyses, 0 double deliveries", async () => {
    // One schedule per owner, delivering by email and Slack.
    const schedules: { id: string; ownerId: string }[] = [];
    for (let o = 0; o < OWNERS; o++) {
      const seeded = await seedRun(fakes.slack, { firstRun: true });
      await systemDb().reviewRun.delete({ where: { id: seeded.id } });
      const owner = `org_many_${o}`;
      // Every fifth owner's CRM answers slower than the executor waits: its analyse step always runs twice.
      const latency = o % 5 === 0 ? 6_000 : 0;
      await systemDb().crmConnection.updateMany({
        where: { ownerId: seeded.ownerId, schedules: { some: { id: seeded.scheduledReviewId } } },
        data: { ownerId: owner, instanceUrl: `demo://?seed=7&size=40&latency_ms=${latency}` },
      });
      await systemDb().analysis.deleteMany({ where: { scheduledReviewId: seeded.scheduledReviewId } });
      schedules.push(await systemDb().scheduledReview.update({ where: { id: seeded.scheduledReviewId }, data: { ownerId: owner } }));
    }
    const base = Date.UTC(2026, 10, 1);
    await systemDb().reviewRun.createMany({
      data: Array.from({ length: RUNS }, (_, i) => {
        const s = schedules[i % OWNERS]!;
        return { scheduledReviewId: s.id, ownerId: s.ownerId, trigger: "MANUAL" as const, scheduledFor: new Date(base + i * 60_000) };
      }),
    });
    const runs = await systemDb().reviewRun.findMany({ select: { id: true, scheduledReviewId: true, ownerId: true } });
    expect(runs).toHaveLength(RUNS);

    expect(inngest.fake.functions.map((f) => f.id)).toContain("revwatch-run-review");
    const started = Date.now();
    inngest.fake.send(runs.map(requestedEvent));
    await inngest.fake.waitForIdle(WAIT_MS);
    const seconds = (Date.now() - started) / 1000;

    const rows = await systemDb().reviewRun.findMany({ include: { deliveries: true } });
    const byStatus = rows.reduce<Record<string, number>>((m, r) => ({ ...m, [r.status]: (m[r.status] ?? 0) + 1 }), {});
    const reviews = inngest.fake.findRuns({ fnId: "revwatch-run-review" });
    const retried = rows.filter((r) => r.retryCount > 0).length;
    const completedEvents = inngest.fake.events.filter((e) => e.name === "review/run.completed");
    const failedEvents = inngest.fake.events.filter((e) => e.name === "review/run.failed");
    const orphans = await systemDb().analysis.count({ where: { run: { is: null } } });
    const sendsByKey = new Map<string, number>();
    for (const r of fakes.resend.requests) if (r.status === 200) sendsByKey.set(r.idempotencyKey ?? "", (sendsByKey.get(r.idempotencyKey ?? "") ?? 0) + 1);
    const slackByRun = new Map<string, number>();
    for (const m of fakes.slack.messages) {
      const text = JSON.stringify(m.body);
      const run = rows.find((r) => r.analysisId && text.includes(r.analysisId));
      if (run) slackByRun.set(run.id, (slackByRun.get(run.id) ?? 0) + 1);
    }
    console.log(
      `[reliability] ${RUNS} runs in ${seconds.toFixed(1)} s: ${JSON.stringify(byStatus)}; ${retried} needed a retry; ` +
        `step executions ${reviews.reduce((n, r) => n + Object.values(r.attempts).reduce((a, b) => a + b, 0), 0)}; ` +
        `emails ${fakes.resend.requests.length} requests for ${sendsByKey.size} deliveries; slack ${fakes.slack.requestCount}; orphans ${orphans}`,
    );

    const failures = rows.filter((r) => r.status === "FAILED");
    console.log(`[reliability] failed runs by code: ${JSON.stringify(failures.reduce<Record<string, number>>((m, r) => ({ ...m, [r.errorCode ?? "-"]: (m[r.errorCode ?? "-"] ?? 0) + 1 }), {}))}`);
    // A run may fail when the executor's patience runs out on an overloaded machine (its retries all time
    // out), but never because a duplicate step tripped over its twin.
    for (const r of failures) expect(r.errorMessage ?? "").not.toMatch(/stays failed|being sent by another attempt|no longer exists|duplicate/i);
    expect(failures.length).toBeLessThanOrEqual(Math.ceil(RUNS / 4));
    expect(byStatus.RUNNING ?? 0).toBe(0);
    expect(byStatus.QUEUED ?? 0).toBe(0);
    expect((byStatus.COMPLETED ?? 0) + (byStatus.FAILED ?? 0)).toBe(RUNS);
    // The timeouts really did run steps twice: at least every run of the slow CRMs.
    expect(retried).toBeGreaterThanOrEqual(rows.filter((r) => schedules.findIndex((s) => s.id === r.scheduledReviewId) % 5 === 0).length);
    expect(orphans).toBe(0);
    for (const r of rows.filter((x) => x.status === "COMPLETED")) {
      expect(r.analysisId).not.toBeNull();
      expect(r.deliveries.filter((d) => d.status === "SENT")).toHaveLength(2);
    }
    // The executor keeps its last 1,000 events: among them, no run is announced twice or both ways.
    const announced = [...completedEvents, ...failedEvents].map((e) => String(e.data.runId));
    expect(new Set(announced).size).toBe(announced.length);
    expect([...sendsByKey.values()].every((n) => n === 1)).toBe(true);
    expect([...slackByRun.values()].every((n) => n === 1)).toBe(true);
  }, WAIT_MS + 60_000);
});

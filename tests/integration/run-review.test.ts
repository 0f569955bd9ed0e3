// The run-review function on Postgres, driven in-process by the executor double: step retries
// with attempt numbers, retries used up -> onFailure, non-retriable CRM errors, replays.
import { beforeEach, describe, expect, test } from "vitest";
import { systemDb } from "@/lib/db";
import { completeRun } from "@/lib/runs/lifecycle";
import { resetEnvCache } from "@/lib/env";
import { resetDb } from "@/tests/support/db";
import { startFakeResend } from "@/tests/support/fake-resend";
import { createRun, createSchedule, FN, requestedEvent, inProcessInngestForFile, type DemoScheduleOptions } from "@/tests/support/in-process-inngest";

const inngest = inProcessInngestForFile();
beforeEach(async () => {
  await resetDb();
});

/** Queue a run of a fresh schedule and drive its review to the end (onFailure included). */
async function review(o: DemoScheduleOptions = {}) {
  const schedule = await createSchedule(o);
  const queued = await createRun(schedule);
  const record = await inngest.fake.run(FN.review, requestedEvent(queued));
  const run = await systemDb().reviewRun.findUniqueOrThrow({ where: { id: queued.id } });
  return { schedule, record, run };
}
const eventsFor = (name: string, runId: string) => inngest.fake.events.filter((e) => e.name === name && e.data.runId === runId);

describe("run-review", () => {
  test("a run completes with its metrics, analysis and findings stored, and review/run.completed sent", async () => {
    const { schedule, record, run } = await review();
    expect(record.status).toBe("completed");
    expect(record.attempts).toEqual({ "mark-running": 1, analyse: 1, "record-metrics": 1, complete: 1, "send-completed-event": 1 });
    expect(run).toMatchObject({ status: "COMPLETED", dealsAnalyzed: 120, retryCount: 0, errorCode: null, inngestRunId: record.runId, inngestEventId: run.id });
    expect(run.healthScore).toBeGreaterThanOrEqual(0);
    expect(run.healthScore).toBeLessThanOrEqual(100);
    expect(run.issuesFound).toBeGreaterThan(0);
    expect(run.startedAt!.getTime()).toBeLessThanOrEqual(run.completedAt!.getTime());
    expect(run.durationMs).toBe(run.completedAt!.getTime() - run.startedAt!.getTime());

    const analysis = await systemDb().analysis.findUniqueOrThrow({ where: { id: run.analysisId! }, include: { _count: { select: { findings: true } } } });
    expect(analysis).toMatchObject({ ownerId: schedule.ownerId, scheduledReviewId: schedule.id, dealsAnalyzed: 120, healthScore: run.healthScore, issuesFound: run.issuesFound, highRiskDeals: run.highRiskDeals });
    expect(analysis._count.findings).toBe(run.issuesFound);
    expect((await systemDb().scheduledReview.findUniqueOrThrow({ where: { id: schedule.id } })).lastRunAt).toEqual(run.completedAt);
    expect(eventsFor("review/run.completed", run.id)).toHaveLength(1);
  });

  test("a step failing once is retried and the run completes with retry_count 1", async () => {
    const { record, run } = await review({ instanceUrl: "demo://?seed=42&size=120&fail=server_error@1" });
    expect(record.status).toBe("completed");
    expect(record.attempts.analyse).toBe(2);
    expect(run).toMatchObject({ status: "COMPLETED", retryCount: 1, dealsAnalyzed: 120, errorCode: null, errorMessage: null });
    // The failed attempt stored nothing: one analysis for the run.
    expect(await systemDb().analysis.count()).toBe(1);
  });

  test("a rate limit is retried (RetryAfterError) and the run completes", async () => {
    const { record, run } = await review({ instanceUrl: "demo://?fail=rate_limited@1" });
    expect(record.status).toBe("completed");
    expect(record.log.some((l) => l.includes("StepError analyse") && l.includes("RetryAfterError"))).toBe(true);
    expect(run).toMatchObject({ status: "COMPLETED", retryCount: 1 });
  });

  test("retries used up: the run is FAILED with the CRM's error and review/run.failed is sent", async () => {
    const { record, run } = await review({ instanceUrl: "demo://?fail=server_error" });
    expect(record.status).toBe("failed");
    expect(record.attempts.analyse).toBe(4); // retries: 3
    expect(inngest.fake.findRuns({ fnId: FN.reviewFailure })).toMatchObject([{ status: "completed", parentRunId: record.runId }]);
    expect(run).toMatchObject({ status: "FAILED", errorCode: "crm_unavailable", retryCount: 3, dealsAnalyzed: null, analysisId: null });
    expect(run.errorMessage).toMatch(/\S/);
    expect(run.completedAt).not.toBeNull();
    expect(run.durationMs).toBeGreaterThanOrEqual(0);
    expect(eventsFor("review/run.failed", run.id)).toMatchObject([
      { data: { runId: run.id, scheduleId: run.scheduledReviewId, ownerId: run.ownerId, errorCode: "crm_unavailable", errorMessage: run.errorMessage } },
    ]);
    expect(eventsFor("review/run.completed", run.id)).toHaveLength(0);
  });

  test("crm_auth_expired fails at once, without retries", async () => {
    const { record, run } = await review({ instanceUrl: "demo://?fail=auth_expired" });
    expect(record.status).toBe("failed");
    expect(record.attempts.analyse).toBe(1);
    expect(run).toMatchObject({ status: "FAILED", errorCode: "crm_auth_expired", retryCount: 0 });
    expect(eventsFor("review/run.failed", run.id)).toHaveLength(1);
  });

  test("a HubSpot connection with no stored authorization fails clearly, without retries, without a network call", async () => {
    const { record, run } = await review({ provider: "HUBSPOT", instanceUrl: "https://api.hubapi.com" });
    expect(record.attempts.analyse).toBe(1);
    expect(run).toMatchObject({ status: "FAILED", errorCode: "crm_auth_expired", dealsAnalyzed: null });
    expect(run.errorMessage).toContain("reconnect it on the CRM page");
  });

  test("a replay from the dashboard re-runs the same event into the SAME run row", async () => {
    const { record, run } = await review();
    const replay = await inngest.fake.replay(record.runId);
    expect(replay).toMatchObject({ status: "completed", replayOf: record.runId });
    expect(await systemDb().reviewRun.count()).toBe(1);
    const after = await systemDb().reviewRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(after).toMatchObject({ status: "COMPLETED", inngestRunId: replay.runId, retryCount: 0 });
    expect(after.analysisId).not.toBe(run.analysisId);
    expect(await systemDb().analysis.count()).toBe(1); // the superseded analysis is replaced, not orphaned
  });

  test("a late event for a run that was failed before it ever started does not revive it", async () => {
    // e.g. run-now gave up on a slow executor (executor_unreachable) and the user already retried.
    const schedule = await createSchedule();
    const queued = await createRun(schedule);
    await systemDb().reviewRun.update({ where: { id: queued.id }, data: { status: "FAILED", errorCode: "executor_unreachable", completedAt: new Date() } });
    const record = await inngest.fake.run(FN.review, requestedEvent(queued));
    expect(record).toMatchObject({ status: "completed", output: { proceed: false, reason: "duplicate_event" } });
    const run = await systemDb().reviewRun.findUniqueOrThrow({ where: { id: queued.id } });
    expect(run).toMatchObject({ status: "FAILED", errorCode: "executor_unreachable", analysisId: null, startedAt: null });
    expect(await systemDb().analysis.count()).toBe(0);
  });

  test("a replay while the original Inngest run still holds the row is refused", async () => {
    const schedule = await createSchedule();
    const queued = await createRun(schedule);
    await systemDb().reviewRun.update({ where: { id: queued.id }, data: { status: "RUNNING", inngestRunId: "01LIVEORIGINAL", inngestEventId: queued.id, startedAt: new Date() } });
    const record = await inngest.fake.run(FN.review, requestedEvent(queued));
    expect(record).toMatchObject({ status: "completed", output: { proceed: false, reason: "duplicate_event" } });
    expect(await systemDb().reviewRun.findUniqueOrThrow({ where: { id: queued.id } })).toMatchObject({ status: "RUNNING", inngestRunId: "01LIVEORIGINAL" });
  });

  test("a run the reconciler failed while it ran is not flipped back to completed", async () => {
    const schedule = await createSchedule();
    const queued = await createRun(schedule);
    await systemDb().reviewRun.update({ where: { id: queued.id }, data: { status: "FAILED", errorCode: "timed_out", startedAt: new Date() } });
    await expect(completeRun({ runId: queued.id })).rejects.toThrow(/stays failed/);
    expect(await systemDb().reviewRun.findUniqueOrThrow({ where: { id: queued.id } })).toMatchObject({ status: "FAILED", errorCode: "timed_out" });
    expect((await systemDb().scheduledReview.findUniqueOrThrow({ where: { id: schedule.id } })).lastRunAt).toBeNull();
  });

  test("a run whose schedule was deleted ends quietly", async () => {
    const schedule = await createSchedule();
    const queued = await createRun(schedule);
    await systemDb().scheduledReview.delete({ where: { id: schedule.id } });
    const record = await inngest.fake.run(FN.review, requestedEvent(queued));
    expect(record).toMatchObject({ status: "completed", output: { proceed: false, reason: "gone" } });
  });

  test("with the email channel configured, the deliver-email step sends the summary once", async () => {
    const resend = await startFakeResend();
    const saved = { ...process.env };
    Object.assign(process.env, { RESEND_API_KEY: resend.apiKey, RESEND_BASE_URL: resend.url, ALLOW_LOOPBACK_DELIVERY: "1" });
    resetEnvCache();
    try {
      const { record, run } = await review({ deliveryChannels: ["EMAIL"], emailRecipients: ["ops@example.com"] });
      expect(record).toMatchObject({ status: "completed", attempts: { "deliver-email": 1 }, output: { deliveries: { email: "sent" } } });
      expect(run.status).toBe("COMPLETED");
      expect(await systemDb().delivery.findMany({ where: { runId: run.id } })).toMatchObject([{ channel: "EMAIL", status: "SENT" }]);
      expect(resend.emails).toHaveLength(1);
      expect(resend.emails[0].body).toMatchObject({ to: ["ops@example.com"] });
    } finally {
      process.env = saved;
      resetEnvCache();
      await resend.close();
    }
  });
});

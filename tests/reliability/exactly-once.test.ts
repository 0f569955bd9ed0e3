// Inngest is at-least-once: the same Inngest run may execute any step twice, even at the same time
// (a step request that timed out is retried while the first copy still runs). Each step of
// run-review, executed twice concurrently, must leave the run exactly as executing it once would.
import { describe, expect, it } from "vitest";
import { systemDb } from "@/lib/db";
import { deliverChannel } from "@/lib/delivery/deliver";
import { analyseRun } from "@/lib/runs/analyse";
import { completeRun, failRun, failRunFromError, markRunning, recordMetrics, runFailedEvent } from "@/lib/runs/lifecycle";
import { openTick } from "@/lib/scheduler/ticks";
import { deliverArgs, seedRun, setupDeliveryFakes } from "../support/delivery-fixtures";

const fakes = setupDeliveryFakes();
const IR = "inngest-run-dup";
const twice = <T>(step: () => Promise<T>) => Promise.all([step(), step()]);

/** A queued run of a schedule with email + Slack (and a previous completed run to compare with). */
async function queuedRun() {
  const seeded = await seedRun(fakes.slack);
  return systemDb().reviewRun.create({
    data: { ownerId: seeded.ownerId, scheduledReviewId: seeded.scheduledReviewId, trigger: "SCHEDULED", scheduledFor: new Date("2026-11-30T08:00:00Z") },
  });
}
const runRow = (id: string) => systemDb().reviewRun.findUniqueOrThrow({ where: { id }, include: { deliveries: true } });
const orphanAnalyses = () => systemDb().analysis.count({ where: { run: { is: null } } });

describe("every run-review step executed twice at the same time", () => {
  it("ends as if each ran once: one start, one analysis, one email, one Slack message, one completion", async () => {
    const run = await queuedRun();
    const analysesBefore = await systemDb().analysis.count();

    const starts = await twice(() => markRunning({ runId: run.id, inngestRunId: IR, eventId: run.id, attempt: 0 }));
    expect(starts.map((s) => s.proceed)).toEqual([true, true]);

    const [m1, m2] = await twice(() => analyseRun({ runId: run.id, inngestRunId: IR, attempt: 0 }));
    expect(m2).toEqual(m1);
    await twice(() => recordMetrics({ runId: run.id, metrics: m1 }));

    const emails = await twice(() => deliverChannel(deliverArgs(run.id, { inngestRunId: IR, channel: "EMAIL" })));
    const slack = await twice(() => deliverChannel(deliverArgs(run.id, { inngestRunId: IR, channel: "SLACK" })));
    expect(emails[1]).toEqual(emails[0]);
    expect(slack[1]).toEqual(slack[0]);
    expect([emails[0].status, slack[0].status]).toEqual(["sent", "sent"]);

    const [c1, c2] = await twice(() => completeRun({ runId: run.id }));
    expect(c2).toEqual(c1);

    const row = await runRow(run.id);
    expect(row).toMatchObject({ status: "COMPLETED", analysisId: m1.analysisId, inngestRunId: IR, durationMs: c1.durationMs });
    expect(row.deliveries.map((d) => [d.channel, d.status, d.attempts]).sort()).toEqual([["EMAIL", "SENT", 1], ["SLACK", "SENT", 1]]);
    expect(fakes.resend.requests).toHaveLength(1);
    expect(fakes.slack.requestCount).toBe(1);
    expect(await systemDb().analysis.count()).toBe(analysesBefore + 1);
    expect(await systemDb().finding.count({ where: { analysisId: m1.analysisId } })).toBe(m1.issuesFound);
    expect(await orphanAnalyses()).toBe(0);
  });

  it("a copy that runs after the first finished changes nothing and answers the same", async () => {
    const run = await queuedRun();
    await markRunning({ runId: run.id, inngestRunId: IR, eventId: run.id, attempt: 0 });
    const metrics = await analyseRun({ runId: run.id, inngestRunId: IR });
    await recordMetrics({ runId: run.id, metrics });
    const email = await deliverChannel(deliverArgs(run.id, { inngestRunId: IR }));
    const done = await completeRun({ runId: run.id });
    const completedAt = (await runRow(run.id)).completedAt;

    // Late copies of every step, in order.
    expect(await markRunning({ runId: run.id, inngestRunId: IR, eventId: run.id, attempt: 1 })).toMatchObject({ proceed: false, reason: "already_completed" });
    expect(await analyseRun({ runId: run.id, inngestRunId: IR })).toEqual(metrics);
    await recordMetrics({ runId: run.id, metrics });
    expect(await deliverChannel(deliverArgs(run.id, { inngestRunId: IR }))).toEqual(email);
    expect(await completeRun({ runId: run.id })).toEqual(done);
    expect(await runRow(run.id)).toMatchObject({ status: "COMPLETED", analysisId: metrics.analysisId, completedAt });
    expect(fakes.resend.requests).toHaveLength(1);
    expect(await orphanAnalyses()).toBe(0);
  });

  it("a replay (a new Inngest run) stores a new analysis and removes the old one: still one per run", async () => {
    const run = await queuedRun();
    await markRunning({ runId: run.id, inngestRunId: IR, eventId: run.id, attempt: 0 });
    const first = await analyseRun({ runId: run.id, inngestRunId: IR });
    await recordMetrics({ runId: run.id, metrics: first });
    await failRun({ runId: run.id, errorCode: "crm_unavailable", errorMessage: "down" });
    expect(await markRunning({ runId: run.id, inngestRunId: "inngest-replay", eventId: run.id, attempt: 0 })).toMatchObject({ proceed: true });
    const [a, b] = await twice(() => analyseRun({ runId: run.id, inngestRunId: "inngest-replay" }));
    expect(b).toEqual(a);
    expect(a.analysisId).not.toBe(first.analysisId);
    expect(await systemDb().analysis.findUnique({ where: { id: first.analysisId } })).toBeNull();
    expect((await runRow(run.id)).analysisId).toBe(a.analysisId);
    expect(await orphanAnalyses()).toBe(0);
  });
});

describe("terminal states never reopen", () => {
  it("a late mark-running of the run that failed leaves it FAILED; a late analyse stores nothing", async () => {
    const run = await queuedRun();
    await markRunning({ runId: run.id, inngestRunId: IR, eventId: run.id, attempt: 0 });
    await failRun({ runId: run.id, errorCode: "timed_out", errorMessage: "no progress" });
    expect(await markRunning({ runId: run.id, inngestRunId: IR, eventId: run.id, attempt: 2 })).toMatchObject({ proceed: false, reason: "already_failed" });
    const analyses = await systemDb().analysis.count();
    await expect(analyseRun({ runId: run.id, inngestRunId: IR })).rejects.toThrow(/stays failed/);
    await expect(completeRun({ runId: run.id })).rejects.toThrow(/stays failed/);
    expect(await systemDb().analysis.count()).toBe(analyses);
    expect(await runRow(run.id)).toMatchObject({ status: "FAILED", errorCode: "timed_out" });
  });

  it("onFailure twice at the same time: one failure, announced under one event id", async () => {
    const run = await queuedRun();
    await markRunning({ runId: run.id, inngestRunId: IR, eventId: run.id, attempt: 0 });
    const error = Object.assign(new Error("HubSpot token expired"), { code: "crm_auth_expired" });
    const [f1, f2] = await twice(() => failRunFromError({ runId: run.id, error }));
    expect(f1).not.toBeNull();
    expect(f2).toEqual(f1);
    expect(runFailedEvent(f1!).id).toBe(runFailedEvent(f2!).id);
    expect(await runRow(run.id)).toMatchObject({ status: "FAILED", errorCode: "crm_auth_expired" });
  });
});

describe("the scheduler's open-tick step twice at the same time", () => {
  it("opens one tick, not a second one left RUNNING to be closed as failed later", async () => {
    const [a, b] = await twice(() => openTick("DISPATCH", new Date(), "tick_inngest-run-twin"));
    expect(b).toEqual(a);
    expect(await systemDb().schedulerTick.count({ where: { kind: "DISPATCH" } })).toBe(1);
  });
});

// The Inngest functions' own flow, with @inngest/test and the lib/ functions they call mocked:
// whole runs, single steps and the failure paths (onFailure included). No database, no server.
import { InngestTestEngine } from "@inngest/test";
import { NonRetriableError } from "inngest";
import { beforeEach, describe, expect, test, vi } from "vitest";

vi.mock("@/lib/runs/lifecycle", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/runs/lifecycle")>()),
  markRunning: vi.fn(),
  recordMetrics: vi.fn(),
  completeRun: vi.fn(),
  failRunFromError: vi.fn(),
}));
vi.mock("@/lib/runs/analyse", () => ({ analyseRun: vi.fn() }));
vi.mock("@/lib/crm/tokens", () => ({ expiredConnectionOfRun: vi.fn() }));
vi.mock("@/lib/delivery/deliver", () => ({ deliverChannel: vi.fn() }));
vi.mock("@/lib/scheduler/dispatch", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/scheduler/dispatch")>()),
  dispatchBatch: vi.fn(),
}));
vi.mock("@/lib/scheduler/send-queued", () => ({ sendQueuedRuns: vi.fn() }));
vi.mock("@/lib/scheduler/buffered", () => ({ releaseBufferedRuns: vi.fn() }));
vi.mock("@/lib/scheduler/ticks", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/scheduler/ticks")>()),
  openTick: vi.fn(),
  closeTick: vi.fn(),
}));

const { runReview } = await import("@/inngest/functions/run-review");
const { dispatchDueReviews } = await import("@/inngest/functions/dispatch-due-reviews");
const lifecycle = vi.mocked(await import("@/lib/runs/lifecycle"));
const { analyseRun } = vi.mocked(await import("@/lib/runs/analyse"));
const { expiredConnectionOfRun } = vi.mocked(await import("@/lib/crm/tokens"));
const { deliverChannel } = vi.mocked(await import("@/lib/delivery/deliver"));
const { dispatchBatch } = vi.mocked(await import("@/lib/scheduler/dispatch"));
const { sendQueuedRuns } = vi.mocked(await import("@/lib/scheduler/send-queued"));
const { releaseBufferedRuns } = vi.mocked(await import("@/lib/scheduler/buffered"));
const ticks = vi.mocked(await import("@/lib/scheduler/ticks"));

const requested = { id: "run_1", name: "review/run.requested", data: { runId: "run_1", scheduleId: "sch_1", ownerId: "org_1" } } as const;
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const metrics = { analysisId: "an_1", dealsAnalyzed: 120, healthScore: 71, issuesFound: 40, highRiskDeals: 6 };

/** @inngest/test 1.0.0 cannot select onFailure (it passes v3's isFailureHandler; v4 reads handlerKind). */
type CreateExecution = (opts: { partialOptions: Record<string, unknown> }) => unknown;
function asFailureHandler<T extends object>(fn: T): T {
  return new Proxy(fn, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (prop === "createExecution" && typeof value === "function") {
        const create = value.bind(target) as CreateExecution;
        return (opts: { partialOptions: Record<string, unknown> }) =>
          create({ ...opts, partialOptions: { ...opts.partialOptions, handlerKind: "failure" } });
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

beforeEach(() => {
  vi.resetAllMocks();
  lifecycle.markRunning.mockImplementation(async ({ runId }) => ({ proceed: true, runId, scheduleId: "sch_1", ownerId: "org_1", channels: ["EMAIL"] }));
  analyseRun.mockResolvedValue(metrics);
  lifecycle.recordMetrics.mockImplementation(async ({ metrics: m }) => m);
  deliverChannel.mockResolvedValue({ status: "sent", deliveryId: "del_1" });
  lifecycle.completeRun.mockResolvedValue({ runId: "run_1", scheduleId: "sch_1", ownerId: "org_1", healthScore: 71, durationMs: 1234 });
});

// step.sendEvent would really send: mock those steps by id. A fresh engine per test, because the
// engine caches step results by step id across executions.
const sent = (...ids: string[]) => ids.map((id) => ({ id, handler: () => ({ ids: [id] }) }));
const reviewEngine = () => new InngestTestEngine({ function: runReview, events: [requested], steps: sent("send-completed-event") });

describe("run-review", () => {
  test("a whole run: every step in order, metrics recorded, delivery per channel, completed event", async () => {
    const { result, error, ctx } = await reviewEngine().execute();
    expect(error).toBeUndefined();
    expect(result).toEqual({ runId: "run_1", status: "completed", healthScore: 71, durationMs: 1234, deliveries: { email: "sent" } });
    expect(ctx.step.run.mock.calls.map(([id]) => id)).toEqual(["mark-running", "analyse", "record-metrics", "deliver-email", "complete"]);
    expect(lifecycle.markRunning).toHaveBeenCalledWith({ runId: "run_1", inngestRunId: expect.stringMatching(ULID), eventId: "run_1", attempt: 0 });
    expect(lifecycle.recordMetrics).toHaveBeenCalledWith({ runId: "run_1", metrics, attempt: 0 });
    expect(deliverChannel).toHaveBeenCalledWith({ runId: "run_1", channel: "EMAIL", inngestRunId: expect.stringMatching(ULID), attempt: 0, maxAttempts: 4 });
    expect(ctx.step.sendEvent).toHaveBeenCalledWith("send-completed-event", expect.objectContaining({
      name: "review/run.completed",
      data: { runId: "run_1", scheduleId: "sch_1", ownerId: "org_1", healthScore: 71 },
    }));
  });

  test("no configured channel: no delivery step", async () => {
    lifecycle.markRunning.mockResolvedValue({ proceed: true, runId: "run_1", scheduleId: "sch_1", ownerId: "org_1", channels: [] });
    const { ctx, result } = await reviewEngine().execute();
    expect(ctx.step.run.mock.calls.map(([id]) => id)).toEqual(["mark-running", "analyse", "record-metrics", "complete"]);
    expect(result).toMatchObject({ status: "completed", deliveries: {} });
    expect(deliverChannel).not.toHaveBeenCalled();
  });

  test("a single step: analyse returns only ids and counts", async () => {
    const { result } = await reviewEngine().executeStep("analyse");
    expect(result).toEqual(metrics);
    expect(analyseRun).toHaveBeenCalledWith({ runId: "run_1", inngestRunId: expect.any(String), attempt: 0 });
    expect(lifecycle.recordMetrics).not.toHaveBeenCalled();
  });

  test("an already completed run of the same Inngest run short-circuits after mark-running", async () => {
    lifecycle.markRunning.mockResolvedValue({ proceed: false, runId: "run_1", reason: "already_completed" });
    const { result, ctx } = await reviewEngine().execute();
    expect(result).toEqual({ proceed: false, runId: "run_1", reason: "already_completed" });
    expect(ctx.step.run.mock.calls.map(([id]) => id)).toEqual(["mark-running"]);
    expect(analyseRun).not.toHaveBeenCalled();
  });

  test("failure path: a non-retriable analyse error fails the run and stops before record-metrics", async () => {
    analyseRun.mockRejectedValue(Object.assign(new NonRetriableError("HubSpot token expired"), { code: "crm_auth_expired" }));
    const { error, ctx } = await reviewEngine().execute();
    expect(error).toMatchObject({ message: "HubSpot token expired" });
    expect(ctx.step.run.mock.calls.map(([id]) => id)).toEqual(["mark-running", "analyse"]);
    expect(lifecycle.recordMetrics).not.toHaveBeenCalled();
    expect(lifecycle.completeRun).not.toHaveBeenCalled();
  });

  const failureEvent = (error: Record<string, unknown>) => ({
    name: "inngest/function.failed",
    data: { function_id: "revwatch-run-review", run_id: "01JFAILED", error, event: requested },
  });

  test("onFailure marks the run failed from the final error and sends review/run.failed", async () => {
    const data = { runId: "run_1", scheduleId: "sch_1", ownerId: "org_1", errorCode: "crm_auth_expired", errorMessage: "HubSpot token expired" };
    const failedAt = "2026-03-09T10:00:00.000Z";
    lifecycle.failRunFromError.mockResolvedValue({ ...data, failedAt });
    const error = { name: "NonRetriableError", message: "HubSpot token expired", stack: "", code: "crm_auth_expired" };
    expiredConnectionOfRun.mockResolvedValue(null); // the connection itself is fine (e.g. the Demo CRM's fault)
    const t = new InngestTestEngine({ function: asFailureHandler(runReview), events: [failureEvent(error)], steps: sent("send-failed-event") });
    const { result, error: runError, ctx } = await t.execute();
    expect(runError).toBeUndefined();
    expect(result).toEqual({ runId: "run_1", failed: true });
    expect(ctx.step.run.mock.calls.map(([id]) => id)).toEqual(["mark-failed", "find-expired-connection"]);
    const [[args]] = lifecycle.failRunFromError.mock.calls;
    expect(args.runId).toBe("run_1");
    expect(args.error).toBeInstanceOf(Error);
    expect(lifecycle.errorCodeOf(args.error)).toBe("crm_auth_expired");
    // The failure's own id: a duplicate onFailure (or the reconciler) announcing it again is dropped by Inngest.
    expect(ctx.step.sendEvent).toHaveBeenCalledWith(
      "send-failed-event",
      expect.objectContaining({ name: "review/run.failed", data, id: `run_1:failed:${Date.parse(failedAt)}` }),
    );
  });

  test("onFailure of a run whose CRM connection expired sends crm/connection.expired with the expiry's id", async () => {
    const data = { runId: "run_2", scheduleId: "sch_1", ownerId: "org_1", errorCode: "crm_auth_expired", errorMessage: "reconnect it" };
    lifecycle.failRunFromError.mockResolvedValue({ ...data, failedAt: "2026-03-09T10:00:00.000Z" });
    const expired = { id: "crm-connection-expired:conn_1:1773050400000", data: { ownerId: "org_1", connectionId: "conn_1", provider: "hubspot", reason: "revoked" } };
    expiredConnectionOfRun.mockResolvedValue(expired);
    const error = { name: "NonRetriableError", message: "reconnect it", stack: "", code: "crm_auth_expired" };
    const t = new InngestTestEngine({ function: asFailureHandler(runReview), events: [failureEvent(error)], steps: sent("send-failed-event", "send-connection-expired") });
    const { ctx } = await t.execute();
    expect(ctx.step.sendEvent).toHaveBeenCalledWith("send-connection-expired", expect.objectContaining({ name: "crm/connection.expired", ...expired }));
  });

  test("onFailure for a run that is gone or already finished sends nothing", async () => {
    lifecycle.failRunFromError.mockResolvedValue(null);
    const error = { name: "Error", message: "connection reset", stack: "" };
    const t = new InngestTestEngine({ function: asFailureHandler(runReview), events: [failureEvent(error)] });
    const { result, ctx } = await t.execute();
    expect(result).toEqual({ runId: "run_1", failed: false });
    expect(ctx.step.sendEvent).not.toHaveBeenCalled();
  });
});

test("errorCodeOf: the first lower-snake code down the cause chain, else internal", () => {
  const crm = Object.assign(new Error("429"), { code: "crm_rate_limited" });
  expect(lifecycle.errorCodeOf(new Error("wrapped", { cause: crm }))).toBe("crm_rate_limited");
  expect(lifecycle.errorCodeOf(Object.assign(new Error("refused"), { code: "ECONNREFUSED" }))).toBe("internal");
  expect(lifecycle.errorCodeOf(Object.assign(new Error("unique"), { code: "P2002" }))).toBe("internal");
  expect(lifecycle.errorCodeOf("a string")).toBe("internal");
});

describe("dispatch-due-reviews", () => {
  const startedAt = "2026-03-09T10:00:00.000Z";
  const counts = { due: 3, dispatched: 2, skipped: 1, missed: 0, failed: 0 };
  const batchDetails = { overlap: 1, buffered: 0, catch_up_skipped: 0, raced: 0, errors: [] };
  const cursor = (id: string) => ({ nextRunAt: startedAt, id });
  const engine = () =>
    new InngestTestEngine({ function: dispatchDueReviews, events: [{ name: "inngest/scheduled.timer", data: { cron: "* * * * *" } }] });

  beforeEach(() => {
    ticks.openTick.mockResolvedValue({ tickId: "tick_1", startedAt, recoverSince: null });
    dispatchBatch.mockResolvedValue({ ...counts, details: batchDetails, cursor: null });
    sendQueuedRuns.mockResolvedValue({ sent: 2, cursor: null });
    releaseBufferedRuns.mockResolvedValue({ released: 0 });
    ticks.closeTick.mockResolvedValue({ tickId: "tick_1", durationMs: 40, outcome: "SUCCESS" });
  });

  test("a whole tick: open, dispatch at the tick's instant, send what it queued, close with counts", async () => {
    const { result, error } = await engine().execute();
    expect(error).toBeUndefined();
    expect(result).toEqual({ tickId: "tick_1", durationMs: 40, outcome: "SUCCESS", ...counts });
    expect(dispatchBatch).toHaveBeenCalledWith({ now: new Date(startedAt), after: null });
    expect(sendQueuedRuns).toHaveBeenCalledWith({ since: new Date(startedAt), after: null });
    expect(ticks.closeTick).toHaveBeenCalledWith({ tickId: "tick_1", counts, details: { ...batchDetails, released: 0, resent: 0 } });
  });

  test("batches follow the cursor, each its own small step; totals add up; sends page on", async () => {
    dispatchBatch
      .mockResolvedValueOnce({ ...counts, details: batchDetails, cursor: cursor("a") })
      .mockResolvedValueOnce({ ...counts, details: batchDetails, cursor: cursor("b") })
      .mockResolvedValueOnce({ ...counts, details: batchDetails, cursor: null });
    sendQueuedRuns.mockResolvedValueOnce({ sent: 5, cursor: { queuedAt: startedAt, id: "r5" } }).mockResolvedValueOnce({ sent: 2, cursor: null });
    const { result } = await engine().execute();
    expect(dispatchBatch.mock.calls.map(([o]) => o.after)).toEqual([null, cursor("a"), cursor("b")]);
    expect(sendQueuedRuns.mock.calls.map(([o]) => o.after)).toEqual([null, { queuedAt: startedAt, id: "r5" }]);
    expect(result).toMatchObject({ due: 9, dispatched: 6, skipped: 3 });
    // 7 sent for 6 queued: one run of an earlier attempt was sent again.
    expect(ticks.closeTick).toHaveBeenCalledWith(expect.objectContaining({ details: expect.objectContaining({ overlap: 3, resent: 1 }) }));
  });

  test("a dead tick's start is where sending starts", async () => {
    ticks.openTick.mockResolvedValue({ tickId: "tick_1", startedAt, recoverSince: "2026-03-09T09:55:00.000Z" });
    await engine().execute();
    expect(sendQueuedRuns).toHaveBeenCalledWith({ since: new Date("2026-03-09T09:55:00.000Z"), after: null });
  });

  test("a single step: dispatch-0 returns counts and a cursor, no run ids", async () => {
    const { result } = await engine().executeStep("dispatch-0");
    expect(result).toEqual({ ...counts, details: batchDetails, cursor: null });
    expect(ticks.closeTick).not.toHaveBeenCalled();
  });

  test("failure path: a failing dispatch fails the function and sends nothing", async () => {
    // Retries are not modelled here: a non-retriable error is final at once, like the last attempt.
    dispatchBatch.mockRejectedValue(new NonRetriableError("database is down"));
    const { error } = await engine().execute();
    expect(error).toMatchObject({ message: "database is down" });
    expect(sendQueuedRuns).not.toHaveBeenCalled();
    // @inngest/test stops at the failed step; closing the tick as FAILURE is covered with the
    // executor double in tests/integration/dispatch.test.ts.
    expect(ticks.closeTick).not.toHaveBeenCalled();
  });
});

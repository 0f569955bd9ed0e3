// What the local executor honours beyond plain runs, against real inngest@4.24 functions served
// in-process: Inngest's retry backoff and RetryAfterError delays, per-key concurrency, finish
// timeouts, crons on their schedule and time zone, and a journal that survives a restart.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Inngest, RetryAfterError, type InngestFunction } from "inngest";
import { serve } from "inngest/next";
import type { NextRequest } from "next/server";
import { afterEach, describe, expect, test } from "vitest";
import { nextCronRun, parseCron } from "@/scripts/local-executor/cron";
import { LocalExecutor, type LocalExecutorOptions } from "@/scripts/local-executor/executor";
import { BACKOFF_TABLE_MS, backoffMs, concurrencyKeys } from "@/scripts/local-executor/policy";

const APP_URL = "http://app.test/api/inngest";
const quiet = { info() {}, warn() {}, error() {}, debug() {} };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const id = (fn: string) => `policies-${fn}`;

const opened: LocalExecutor[] = [];
afterEach(async () => {
  for (const ex of opened.splice(0)) await ex.close();
});

/** An executor + an app of `build`'s functions whose client sends events to it. */
async function setup(build: (inngest: Inngest) => InngestFunction.Any[], opts: LocalExecutorOptions = {}) {
  const ref: { handler?: ReturnType<typeof serve> } = {};
  const ex = new LocalExecutor({
    autoRun: true,
    backoffScale: 0,
    fetcher: (url, init) => {
      const h = ref.handler!;
      return (init.method === "PUT" ? h.PUT : h.POST)(new Request(url, init) as NextRequest, undefined);
    },
    ...opts,
  });
  opened.push(ex);
  await ex.listen(0);
  const inngest = new Inngest({ id: "policies", isDev: true, baseUrl: ex.url, logger: quiet, internalLogger: quiet });
  ref.handler = serve({ client: inngest, functions: build(inngest) });
  await ex.sync(APP_URL);
  return { ex, inngest };
}

describe("retries", () => {
  test("Inngest's backoff table with up to 30 s jitter, scalable", () => {
    expect(BACKOFF_TABLE_MS.slice(0, 3)).toEqual([15_000, 30_000, 60_000]);
    expect(backoffMs(0, 1, () => 0)).toBe(15_000);
    expect(backoffMs(1, 1, () => 0.5)).toBe(45_000);
    expect(backoffMs(99, 1, () => 0)).toBe(7_200_000);
    expect(backoffMs(0, 0.01, () => 1)).toBe(450);
  });

  test("a step failing twice then succeeding: 3 attempts, each after its backoff, timings recorded", async () => {
    let calls = 0;
    const { ex } = await setup((inngest) => [
      inngest.createFunction({ id: "flaky", retries: 3, triggers: [{ event: "t/flaky" }] }, async ({ step }) =>
        step.run("fetch", () => {
          if (++calls <= 2) throw new Error(`transient ${calls}`);
          return "ok";
        }),
      ),
    ], { backoffScale: 0.01 }); // 150 ms + up to 300 ms, then 300 ms + up to 300 ms
    const run = await ex.run(id("flaky"), { name: "t/flaky" });
    expect(run.status).toBe("completed");
    const [fetchStep] = run.steps;
    expect(fetchStep).toMatchObject({ name: "fetch", status: "completed", output: "ok" });
    expect(fetchStep.attempts.map((a) => [a.attempt, a.error ?? null])).toEqual([
      [0, "Error: transient 1"],
      [1, "Error: transient 2"],
      [2, null],
    ]);
    const gap = (i: number) => Date.parse(fetchStep.attempts[i].startedAt) - Date.parse(fetchStep.attempts[i - 1].endedAt);
    expect(gap(1)).toBeGreaterThanOrEqual(150);
    expect(gap(2)).toBeGreaterThanOrEqual(300);
    expect(run.attempts.fetch).toBe(3);
  });

  test("RetryAfterError: the next attempt waits the delay the function asked for, not the backoff", async () => {
    let calls = 0;
    const { ex } = await setup((inngest) => [
      inngest.createFunction({ id: "limited", triggers: [{ event: "t/limited" }] }, async ({ step }) =>
        step.run("call-api", () => {
          if (++calls === 1) throw new RetryAfterError("429 from the API", "2s");
          return calls;
        }),
      ),
    ]);
    const run = await ex.run(id("limited"), { name: "t/limited" });
    expect(run.status).toBe("completed");
    const [first, second] = run.steps[0].attempts;
    expect(Date.parse(second.startedAt) - Date.parse(first.endedAt)).toBeGreaterThanOrEqual(1_900);
  });
});

describe("concurrency and timeouts", () => {
  test("a per-key limit of 1 serialises one key's steps; other keys run alongside", async () => {
    const active: Record<string, number> = {};
    const peak: Record<string, number> = {};
    let overall = 0;
    let overallPeak = 0;
    const { ex, inngest } = await setup((inngest) => [
      inngest.createFunction(
        { id: "per-owner", concurrency: [{ key: "event.data.owner", limit: 1 }], triggers: [{ event: "t/owner" }] },
        async ({ event, step }) =>
          step.run("work", async () => {
            const owner = event.data.owner as string;
            active[owner] = (active[owner] ?? 0) + 1;
            peak[owner] = Math.max(peak[owner] ?? 0, active[owner]);
            overallPeak = Math.max(overallPeak, ++overall);
            await sleep(150);
            active[owner]--;
            overall--;
            return owner;
          }),
      ),
    ]);
    await inngest.send(["a", "a", "a", "b", "b"].map((owner) => ({ name: "t/owner", data: { owner } })));
    await ex.waitForIdle(10_000);
    expect(ex.findRuns({ fnId: id("per-owner") }).map((r) => r.status)).toEqual(Array(5).fill("completed"));
    expect(peak).toEqual({ a: 1, b: 1 });
    expect(overallPeak).toBe(2);
    expect(concurrencyKeys(ex.fn(id("per-owner")), { id: "e", name: "t/owner", data: { owner: "a" }, ts: 0 })).toEqual([
      { key: `fn:${id("per-owner")}|event.data.owner=a`, limit: 1 },
    ]);
  });

  test("timeouts.finish cancels a run that is still going when it expires", async () => {
    const { ex } = await setup((inngest) => [
      inngest.createFunction({ id: "slow", timeouts: { finish: "1s" }, triggers: [{ event: "t/slow" }] }, async ({ step }) => {
        await step.sleep("wait", "10s");
        return step.run("never", () => "reached");
      }),
    ]);
    const started = Date.now();
    const run = await ex.run(id("slow"), { name: "t/slow" });
    expect(run).toMatchObject({ status: "cancelled", error: { name: "FunctionTimeout" } });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(run.steps.map((s) => s.name)).not.toContain("never");
  });
});

describe("crons", () => {
  test("TZ= prefixes are read in that zone", () => {
    expect(parseCron("TZ=America/New_York 0 6 * * 1-5")).toEqual({ pattern: "0 6 * * 1-5", timezone: "America/New_York" });
    expect(nextCronRun("TZ=America/New_York 0 6 * * *", new Date("2026-07-01T12:00:00Z"))?.toISOString()).toBe("2026-07-02T10:00:00.000Z");
    expect(nextCronRun("TZ=America/New_York 0 6 * * *", new Date("2026-12-01T12:00:00Z"))?.toISOString()).toBe("2026-12-02T11:00:00.000Z");
    expect(nextCronRun("*/5 * * * *", new Date("2026-12-01T12:01:00Z"))?.toISOString()).toBe("2026-12-01T12:05:00.000Z");
  });

  test("a cron trigger fires on its schedule with no manual trigger, once per slot", async () => {
    const { ex } = await setup((inngest) => [
      inngest.createFunction({ id: "tick", triggers: [{ cron: "TZ=Europe/Paris * * * * * *" }] }, async ({ event }) => event.data.cron),
    ], { crons: true });
    await sleep(2_300);
    const runs = ex.findRuns({ fnId: id("tick") });
    expect(runs.length).toBeGreaterThanOrEqual(1);
    expect(runs[0]).toMatchObject({ status: "completed", output: "TZ=Europe/Paris * * * * * *", event: { name: "inngest/scheduled.timer" } });
    const slots = runs.map((r) => r.event.id);
    expect(new Set(slots).size).toBe(slots.length);
    expect(slots[0]).toMatch(/^cron:policies-tick:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
  });
});

describe("journal", () => {
  test("a run interrupted mid-way resumes after a restart without re-running its finished steps", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "local-executor-"));
    const ran: string[] = [];
    let gate: () => void = () => {};
    const blocked = new Promise<void>((r) => (gate = r));
    const build = (inngest: Inngest) => [
      inngest.createFunction({ id: "two-steps", triggers: [{ event: "t/two" }] }, async ({ step }) => {
        await step.run("first", () => (ran.push("first"), 1));
        await step.run("second", async () => {
          ran.push("second");
          if (ran.filter((s) => s === "second").length === 1) await blocked; // the first process never finishes it
          return 2;
        });
        return "done";
      }),
    ];
    const first = await setup(build, { dataDir });
    await first.inngest.send({ id: "evt-1", name: "t/two" });
    while (!ran.includes("second")) await sleep(20);
    const closing = first.ex.close(); // stops at the next request: the run stays pending in the journal
    gate();
    await closing;
    opened.splice(opened.indexOf(first.ex), 1);
    const journal = JSON.parse(fs.readFileSync(path.join(dataDir, "journal.json"), "utf8"));
    expect(journal.runs).toMatchObject([{ status: "running", fnId: id("two-steps") }]);

    const second = await setup(build, { dataDir });
    expect(second.ex.resume()).toBe(1);
    await second.ex.waitForIdle(10_000);
    expect(second.ex.runs).toMatchObject([{ status: "completed", output: "done" }]);
    expect(ran.filter((s) => s === "first")).toHaveLength(1); // memoised across the restart
    // The accepted event's id is still known: sending it again starts nothing.
    await second.inngest.send({ id: "evt-1", name: "t/two" });
    expect(second.ex.runs).toHaveLength(1);
  });
});

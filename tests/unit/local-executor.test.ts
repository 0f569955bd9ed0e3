// Proves the local executor (scripts/local-executor) against real inngest@4.24 functions served by
// inngest/next: in-process (route handlers called with a Request), over real HTTP, and via the CLI.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { createInterface } from "node:readline";
import { Inngest } from "inngest";
import { serve } from "inngest/next";
import type { NextRequest } from "next/server";
import { afterEach, describe, expect, test, vi } from "vitest";
import { LocalExecutor, UnsupportedExpression, evalExpression, sign, type Fetcher, type LocalExecutorOptions, type RunRecord } from "@/scripts/local-executor/executor";

/** Retries at once and sleeps capped to nothing, so no test waits on Inngest's real delays. */
class FakeInngest extends LocalExecutor {
  constructor(opts: LocalExecutorOptions = {}) {
    super({ backoffScale: 0, maxSleepMs: 0, ...opts });
  }
}
type FakeInngestOptions = LocalExecutorOptions;

const APP_URL = "http://app.test/api/inngest";
const KEY = "signkey-test-8a1d0c9e2b7f4a6d8c3e5f7091b2d4c6e8f0a1b3c5d7e9f1a3b5c7d9e1f3a5b7";
const OTHER_KEY = "signkey-test-0000000000000000000000000000000000000000000000000000000000000000";
const id = (fn: string) => `fake-inngest-test-${fn}`;
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

// The SDK logs every step error; these tests provoke them on purpose.
const quiet = { info() {}, warn() {}, error() {}, debug() {} };

/** A small app of real functions; `baseUrl` is where its client sends events (the double). */
function makeApp(baseUrl: string, signingKey?: string) {
  const inngest = new Inngest({ id: "fake-inngest-test", isDev: !signingKey, baseUrl, signingKey, eventKey: "test-event-key", logger: quiet, internalLogger: quiet });
  const counts: Record<string, number> = {};
  const hit = (k: string) => void (counts[k] = (counts[k] ?? 0) + 1);
  const seen = { attempts: [] as number[], failures: [] as { message: string; original: unknown }[], reviewed: [] as string[] };

  const threeSteps = inngest.createFunction({ id: "three-steps", triggers: [{ event: "test/three" }] }, async ({ event, step }) => {
    const a = await step.run("a", () => (hit("a"), 1));
    const b = await step.run("b", () => (hit("b"), a + 1));
    const c = await step.run("c", () => (hit("c"), b + 1));
    return { sum: a + b + c, n: event.data.n as number };
  });
  const flaky = inngest.createFunction({ id: "flaky", retries: 2, triggers: [{ event: "test/flaky" }] }, async ({ step, attempt }) => {
    const v = await step.run("flaky-step", () => {
      hit("flaky");
      seen.attempts.push(attempt);
      if (attempt === 0) throw new Error("transient");
      return "ok";
    });
    return { v };
  });
  const doomed = inngest.createFunction(
    {
      id: "doomed", retries: 1, triggers: [{ event: "test/doomed" }],
      onFailure: async ({ event, error }) => {
        seen.failures.push({ message: error.message, original: event.data.event });
        return { handled: true };
      },
    },
    async ({ step }) => {
      await step.run("explode", () => {
        hit("explode");
        throw new Error("db down");
      });
    },
  );
  const dispatch = inngest.createFunction({ id: "dispatch", triggers: [{ cron: "TZ=UTC 0 6 * * 1" }] }, async ({ event, step }) => {
    const ids = await step.run("load-due", () => ["s1", "s2"]);
    await step.sendEvent("fan-out", ids.map((scheduleId) => ({ name: "test/review", data: { scheduleId } })));
    return { dispatched: ids.length, cron: "cron" in event.data ? event.data.cron : null };
  });
  const review = inngest.createFunction({ id: "review", triggers: [{ event: "test/review" }] }, async ({ event, step }) => {
    await step.sleep("cool-off", "1h");
    return step.run("store", () => (seen.reviewed.push(event.data.scheduleId as string), event.data.scheduleId as string));
  });
  const approval = inngest.createFunction({ id: "approval", triggers: [{ event: "test/approval" }] }, async ({ step }) => {
    const ok = await step.waitForEvent("approved", { event: "test/approved", timeout: "1h", match: "data.orderId" });
    const sum = await step.invoke("sum", { function: threeSteps, data: { n: 9 } });
    return { approvedBy: (ok?.data.by as string | undefined) ?? null, sum };
  });

  const handler = serve({ client: inngest, functions: [threeSteps, flaky, doomed, dispatch, review, approval] });
  const fetcher: Fetcher = (url, init) => {
    const route = init.method === "PUT" ? handler.PUT : init.method === "GET" ? handler.GET : handler.POST;
    return route(new Request(url, init) as NextRequest, undefined);
  };
  return { inngest, fetcher, counts, seen };
}

const opened: { close(): unknown }[] = [];
afterEach(async () => {
  for (const o of opened.splice(0).reverse()) await o.close();
  vi.unstubAllEnvs();
});

/** A listening double + an app whose client sends events to it, called in-process. appKey "" = dev-mode app. */
async function setup(opts: FakeInngestOptions & { appKey?: string } = {}) {
  const ref: { app?: ReturnType<typeof makeApp> } = {};
  const fake = new FakeInngest({ fetcher: (u, i) => ref.app!.fetcher(u, i), ...opts });
  opened.push(fake);
  await fake.listen(0);
  const app = (ref.app = makeApp(fake.url!, opts.appKey ?? opts.signingKey));
  await fake.sync(APP_URL);
  return { fake, app };
}

describe("FakeInngest in-process (serve() route handlers)", () => {
  test("sync returns the app's functions, onFailure handler included", async () => {
    const { fake } = await setup();
    expect(fake.functions.map((f) => f.id).sort()).toEqual(
      ["approval", "dispatch", "doomed", "doomed-failure", "flaky", "review", "three-steps"].map(id).sort(),
    );
  });

  test("a 3-step run completes with memoized steps, each body executed once", async () => {
    const { fake, app } = await setup();
    const run = await fake.run(id("three-steps"), { name: "test/three", data: { n: 7 } });
    expect(run).toMatchObject({ status: "completed", output: { sum: 6, n: 7 }, attempts: { a: 1, b: 1, c: 1 }, requests: 4 });
    expect(run.runId).toMatch(ULID);
    expect(app.counts).toEqual({ a: 1, b: 1, c: 1 });
  });

  test("a step that throws once is retried and sees attempt=1", async () => {
    const { fake, app } = await setup();
    const run = await fake.run(id("flaky"), { name: "test/flaky" });
    expect(run).toMatchObject({ status: "completed", output: { v: "ok" }, attempts: { "flaky-step": 2 } });
    expect(app.seen.attempts).toEqual([0, 1]);
    expect(run.log.some((l) => l.includes("StepError flaky-step: Error: transient"))).toBe(true);
  });

  test("retries exhausted -> run fails -> onFailure gets the original event and error", async () => {
    const { fake, app } = await setup();
    const run = await fake.run(id("doomed"), { name: "test/doomed", data: { orderId: "o-1" } });
    expect(run.status).toBe("failed");
    expect(app.counts.explode).toBe(2); // retries: 1 -> two attempts
    expect(JSON.stringify(run.error)).toContain("db down");
    const [failure] = fake.findRuns({ fnId: id("doomed-failure") });
    expect(run.failureRunIds).toEqual([failure.runId]);
    expect(failure).toMatchObject({ status: "completed", output: { handled: true }, event: { name: "inngest/function.failed" } });
    expect(failure.event.data).toMatchObject({ function_id: id("doomed"), run_id: run.runId });
    expect(app.seen.failures).toEqual([{ message: expect.stringContaining("db down"), original: expect.objectContaining({ name: "test/doomed", data: { orderId: "o-1" } }) }]);
  });

  test("cron fan-out: step.sendEvent lands events in the double, autoRun runs the triggered functions", async () => {
    const { fake, app } = await setup({ autoRun: true });
    const cron = await fake.triggerCron(id("dispatch"));
    expect(cron).toMatchObject({ status: "completed", output: { dispatched: 2, cron: "TZ=UTC 0 6 * * 1" }, event: { name: "inngest/scheduled.timer" } });
    await fake.waitForIdle(10_000);
    expect(fake.events.filter((e) => e.name === "test/review").map((e) => e.data)).toEqual([{ scheduleId: "s1" }, { scheduleId: "s2" }]);
    const reviews = fake.findRuns({ fnId: id("review") });
    expect(reviews.map((r) => r.status)).toEqual(["completed", "completed"]);
    expect(reviews[0].log.some((l) => l.includes("sleep cool-off (1h) capped to 0ms"))).toBe(true);
    expect(app.seen.reviewed.sort()).toEqual(["s1", "s2"]);
  });

  test("duplicate event ids (and SDK send retries) trigger once", async () => {
    const { fake, app } = await setup({ autoRun: true });
    const first = await app.inngest.send({ id: "dup-1", name: "test/three", data: { n: 1 } });
    const second = await app.inngest.send({ id: "dup-1", name: "test/three", data: { n: 1 } });
    expect(second.ids).toEqual(first.ids);
    // The SDK retries a send with the same x-inngest-event-id-seed: that must not duplicate either.
    const post = () => fetch(`${fake.url}/e/any-key`, { method: "POST", headers: { "x-inngest-event-id-seed": "1700000000000,c2VlZA==" }, body: JSON.stringify([{ name: "test/three", data: { n: 2 } }]) });
    const [a, b] = [await (await post()).json(), await (await post()).json()];
    expect(a).toEqual(b);
    await fake.waitForIdle(10_000);
    expect(fake.findRuns({ fnId: id("three-steps") }).map((r) => r.event.data.n)).toEqual([1, 2]);
    expect(fake.events).toHaveLength(2);
  });

  test("replay re-runs the same event under a new run id", async () => {
    const { fake, app } = await setup();
    const run = await fake.run(id("three-steps"), { name: "test/three", data: { n: 3 } });
    const again = await fake.replay(run.runId);
    expect(again.runId).not.toBe(run.runId);
    expect(again.runId).toMatch(ULID);
    expect(again).toMatchObject({ status: "completed", replayOf: run.runId, event: run.event, output: run.output });
    expect(app.counts.a).toBe(2);
  });

  test("waitForEvent resolves on a matching event; step.invoke runs the other function", async () => {
    const { fake } = await setup();
    const done = fake.run(id("approval"), { name: "test/approval", data: { orderId: "o-9" } });
    await vi.waitFor(() => expect(fake.runs[0]?.log.join("\n")).toContain("WaitForEvent:approved"));
    fake.send([{ name: "test/approved", data: { orderId: "other", by: "eve" } }, { name: "test/approved", data: { orderId: "o-9", by: "ann" } }]);
    expect(await done).toMatchObject({ status: "completed", output: { approvedBy: "ann", sum: { sum: 6, n: 9 } } });
    expect(fake.findRuns({ fnId: id("three-steps"), eventName: "inngest/function.invoked" })).toHaveLength(1);
  });

  test("waitForEvent times out (capped) to null; waitForIdle rejects helpfully while a run is stuck", async () => {
    const { fake } = await setup({ maxWaitForEventMs: 1_500 });
    const done = fake.run(id("approval"), { name: "test/approval", data: { orderId: "o-1" } });
    await expect(fake.waitForIdle(100)).rejects.toThrow(/1 run\(s\) still running after 100ms:\n.*approval/);
    expect(await done).toMatchObject({ status: "completed", output: { approvedBy: null } });
  });

  test("checkpointing mode: the SDK runs steps in one request and checkpoints them to the double", async () => {
    const { fake, app } = await setup({ checkpointing: true });
    const run = await fake.run(id("three-steps"), { name: "test/three", data: { n: 1 } });
    expect(run).toMatchObject({ status: "completed", output: { sum: 6, n: 1 } });
    expect(run.requests).toBe(1);
    expect(run.log.filter((l) => l.startsWith("  checkpoint StepRun"))).toHaveLength(3);
    expect(app.counts).toEqual({ a: 1, b: 1, c: 1 });
  });
});

test("trigger/wait expressions: the CEL subset is evaluated, anything else is refused loudly", () => {
  const event = { data: { a: "x", n: 1, flag: false } };
  expect(evalExpression("event.data.a == 'x' && (event.data.n >= 2 || !event.data.flag)", { event })).toBe(true);
  expect(evalExpression("event.data.a != \"x\" || event.data.missing == null", { event })).toBe(false);
  expect(() => evalExpression("size(event.data.a) > 0", { event })).toThrow(UnsupportedExpression);
});

describe("signed (cloud) mode", () => {
  test("runs with a signing key on both sides; events need the event key", async () => {
    const { fake, app } = await setup({ signingKey: KEY, autoRun: true, eventKeys: ["test-event-key"] });
    await app.inngest.send({ name: "test/three", data: { n: 4 } });
    await fake.waitForIdle(10_000);
    expect(fake.findRuns({ fnId: id("three-steps") })).toMatchObject([{ status: "completed", output: { sum: 6, n: 4 } }]);
    const wrongKey = await fetch(`${fake.url}/e/nope`, { method: "POST", body: JSON.stringify({ name: "test/three" }) });
    expect(wrongKey.status).toBe(401);
  });

  test("out-of-band sync (in-band disabled) registers through /fn/register with the SDK's bearer key", async () => {
    vi.stubEnv("INNGEST_ALLOW_IN_BAND_SYNC", "0");
    const { fake } = await setup({ signingKey: KEY });
    expect(fake.functions.map((f) => f.id)).toContain(id("three-steps"));
    expect((await fake.run(id("three-steps"), { name: "test/three", data: { n: 0 } })).status).toBe("completed");
  });

  test("a signed double still drives a dev-mode app (which checks nothing), and says so", async () => {
    const { fake } = await setup({ signingKey: KEY, appKey: "" });
    expect((await fake.run(id("three-steps"), { name: "test/three", data: { n: 1 } })).status).toBe("completed");
    expect(fake.warnings).toEqual([expect.stringContaining("unsigned answer")]);
  });

  test("a wrongly signed or unsigned request is rejected by the SDK", async () => {
    const { app } = await setup({ signingKey: KEY });
    const wrong = new FakeInngest({ signingKey: OTHER_KEY, fetcher: app.fetcher });
    await expect(wrong.sync(APP_URL)).rejects.toThrow(/HTTP 401/);
    const body = JSON.stringify({ url: APP_URL });
    const tampered = sign(JSON.stringify({ url: "http://evil.test/" }), KEY);
    const put = (headers: Record<string, string>) => app.fetcher(APP_URL, { method: "PUT", headers: { "content-type": "application/json", "x-inngest-sync-kind": "in_band", ...headers }, body });
    expect((await put({ "x-inngest-signature": tampered })).status).toBe(401);
    expect((await put({})).status).toBe(401);
    expect((await put({ "x-inngest-signature": sign(body, KEY) })).status).toBe(200);
  });
});

/** The same route handlers behind node:http, as `next start` would serve them. */
async function httpApp(baseUrl: string): Promise<{ app: ReturnType<typeof makeApp>; url: string; server: Server }> {
  const app = makeApp(baseUrl);
  const server = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    const headers = Object.entries(req.headers).flatMap(([k, v]) => (typeof v === "string" ? [[k, v] as [string, string]] : []));
    const method = req.method ?? "GET";
    const answer = await app.fetcher(`http://${req.headers.host}${req.url}`, { method, headers, body: method === "GET" ? undefined : body });
    res.writeHead(answer.status, Object.fromEntries(answer.headers)).end(await answer.text());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  opened.push({ close: () => new Promise((r) => server.close(r)) });
  return { app, server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/inngest` };
}

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, "127.0.0.1", () => {
    const { port } = s.address() as AddressInfo;
    s.close(() => resolve(port));
  });
});

describe("over real HTTP", () => {
  test("sync, autoRun and a failing run with onFailure, through node:http", async () => {
    const fake = new FakeInngest({ autoRun: true });
    opened.push(fake);
    await fake.listen(0);
    const { app, url } = await httpApp(fake.url!);
    await fake.sync(url);
    await app.inngest.send([{ name: "test/three", data: { n: 5 } }, { name: "test/doomed", data: { orderId: "h-1" } }]);
    await fake.waitForIdle(15_000);
    expect(fake.findRuns({ fnId: id("three-steps") })).toMatchObject([{ status: "completed", output: { sum: 6, n: 5 } }]);
    expect(fake.findRuns({ fnId: id("doomed") })).toMatchObject([{ status: "failed" }]);
    expect(fake.findRuns({ fnId: id("doomed-failure") })).toMatchObject([{ status: "completed" }]);
    await fake.close();
    await expect(fetch(`${fake.url}/health`)).rejects.toThrow(); // the port is freed
  });

  test("the CLI syncs, serves /__admin (cron, runs, replay, idle) and exits 0 on SIGTERM", async () => {
    const port = await freePort();
    const { url } = await httpApp(`http://127.0.0.1:${port}`);
    const cli = path.resolve(import.meta.dirname, "../../scripts/local-executor/cli.ts");
    const flags = ["--no-crons", "--backoff-scale", "0", "--max-sleep-ms", "0", "--quiet"];
    const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", cli, "--port", String(port), "--app", url, ...flags], { stdio: ["ignore", "pipe", "inherit"] });
    opened.push({ close: () => child.exitCode === null && child.kill("SIGKILL") });
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const ready = JSON.parse((await lines.next()).value as string);
    expect(ready).toMatchObject({ event: "ready", url: `http://127.0.0.1:${port}`, mode: "dev", functions: expect.arrayContaining([id("dispatch")]) });
    const admin = async (p: string, method = "GET") => (await fetch(`${ready.url}/__admin/${p}`, { method })).json();
    const cron = (await admin(`cron/${id("dispatch")}`, "POST")) as RunRecord;
    expect(cron).toMatchObject({ status: "completed", output: { dispatched: 2 } });
    expect(await admin("idle?timeoutMs=10000")).toMatchObject({ idle: true });
    const reviews = (await admin(`runs?fnId=${id("review")}`)) as RunRecord[];
    expect(reviews.map((r) => r.status)).toEqual(["completed", "completed"]);
    const replay = (await admin(`replay/${cron.runId}`, "POST")) as RunRecord;
    expect(replay).toMatchObject({ status: "completed", replayOf: cron.runId });
    expect(await admin("cron/nope", "POST")).toMatchObject({ error: expect.stringContaining("unknown function") });
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    child.kill("SIGTERM");
    expect(JSON.parse((await lines.next()).value as string)).toMatchObject({ event: "stopped", signal: "SIGTERM" });
    expect(await exited).toBe(0);
  }, 60_000);
});

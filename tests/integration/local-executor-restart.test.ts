// The local executor killed with SIGKILL in the middle of a review, then started again on the same
// data folder: the run resumes from its journal (memoised steps) and ends COMPLETED; nothing stays
// queued or running. Drives the stack's built app over HTTP, as `npm run dev` does.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeEach, expect, test } from "vitest";
import { systemDb } from "@/lib/db";
import { resetDb } from "@/tests/support/db";
import { createRun, createSchedule, requestedEvent } from "@/tests/support/in-process-inngest";

const APP = `http://127.0.0.1:${process.env.E2E_APP_PORT ?? 3100}/api/inngest`;
const STACK_EXECUTOR = `http://127.0.0.1:${process.env.E2E_EXECUTOR_PORT ?? 8288}`;
const CLI = path.resolve(import.meta.dirname, "../../scripts/local-executor/cli.ts");
const children: ChildProcess[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
});

beforeEach(async () => {
  await fetch(`${STACK_EXECUTOR}/__admin/idle?timeoutMs=20000`);
  await resetDb();
});

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** Starts the executor process; resolves with its ready line. */
async function startExecutor(port: number, dataDir: string): Promise<{ child: ChildProcess; ready: Record<string, unknown> }> {
  const child = spawn(process.execPath, ["--import", "tsx", CLI, "--port", String(port), "--app", APP, "--data-dir", dataDir, "--no-crons", "--backoff-scale", "0", "--quiet"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const ready = JSON.parse((await lines.next()).value as string) as Record<string, unknown>;
  expect(ready).toMatchObject({ event: "ready" });
  return { child, ready };
}

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(v)} after ${timeoutMs} ms`);
    await sleep(100);
  }
}

test("SIGKILL mid-run, restart on the same journal: the run resumes and completes", async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "executor-restart-"));
  const port = await freePort();
  // Two pages at 2 s each: the analyse step is in flight long enough to be killed.
  const schedule = await createSchedule({ instanceUrl: "demo://?seed=42&size=120&pageSize=60&latency_ms=2000" });
  const run = await createRun(schedule);
  const readRun = () => systemDb().reviewRun.findUniqueOrThrow({ where: { id: run.id } });

  const first = await startExecutor(port, dataDir);
  const sent = await fetch(`http://127.0.0.1:${port}/e/local`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(requestedEvent(run)) });
  expect(sent.status).toBe(200);
  const running = await until("run RUNNING", readRun, (r) => r.status === "RUNNING", 20_000);
  await sleep(500); // inside "analyse", waiting on the slow CRM
  first.child.kill("SIGKILL");
  await new Promise((r) => first.child.once("exit", r));
  expect((await readRun()).status).toBe("RUNNING");

  const restartedAt = Date.now();
  const second = await startExecutor(port, dataDir);
  expect(second.ready).toMatchObject({ resumed: 1 });
  const done = await until("run settled", readRun, (r) => r.status === "COMPLETED" || r.status === "FAILED", 60_000);
  console.log(`run ${done.status} ${Date.now() - restartedAt} ms after the restart`);
  expect(done).toMatchObject({ status: "COMPLETED", dealsAnalyzed: 120, inngestRunId: running.inngestRunId, errorCode: null });
  expect(await systemDb().analysis.count({ where: { scheduledReviewId: schedule.id } })).toBe(1);

  // The row completes in the "complete" step; the executor's run ends after its last step.
  const readRecord = async () => (await fetch(`http://127.0.0.1:${port}/__admin/runs/${running.inngestRunId}`)).json();
  const record = await until("executor run completed", readRecord, (r) => r.status !== "running", 20_000);
  expect(record).toMatchObject({ status: "completed" });
  // mark-running finished before the kill: it is memoised, never executed twice.
  expect(record.steps.find((s: { name: string }) => s.name === "mark-running").attempts).toHaveLength(1);
  second.child.kill("SIGTERM");
  await new Promise((r) => second.child.once("exit", r));
}, 120_000);

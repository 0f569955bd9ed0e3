// The app as two instances on one database (a second `next start` of the same build beside the
// stack's): run-now's rate limit and its one-active-run lock hold across both.
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { systemDb } from "@/lib/db";
import { APP_URL, tokenFor } from "@/tests/support/api";
import { resetDb } from "@/tests/support/db";
import { createSchedule } from "@/tests/support/in-process-inngest";
import { bin } from "@/scripts/run.mjs";

const SECOND_PORT = Number(process.env.E2E_APP_PORT ?? 3100) + 50;
const SECOND_URL = `http://localhost:${SECOND_PORT}`;
const EXECUTOR = `http://127.0.0.1:${process.env.E2E_EXECUTOR_PORT ?? 8288}`;
let second: ChildProcess | undefined;

async function waitFor(url: string, ms: number) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer in ${ms} ms`);
}

beforeAll(async () => {
  second = spawn(bin("next"), ["start", "-p", String(SECOND_PORT)], { env: process.env, stdio: "ignore" });
  await waitFor(`${SECOND_URL}/api/health`, 60_000);
  await fetch(`${EXECUTOR}/__admin/idle?timeoutMs=20000`);
  await resetDb();
}, 90_000);

afterAll(async () => {
  if (second?.exitCode === null) {
    second.kill("SIGTERM");
    await new Promise((r) => second!.once("exit", r));
  }
});

describe("two app instances on one database", () => {
  test("30 concurrent run-now requests split across both: 10 pass the shared limit, one run starts", async () => {
    const org = "org_two_instances";
    const schedule = await createSchedule({ ownerId: org });
    const token = tokenFor({ userId: "user_two", orgId: org })!;
    const post = (base: string) =>
      fetch(`${base}/api/scheduled-reviews/${schedule.id}/run-now`, { method: "POST", headers: { authorization: `Bearer ${token}` } }).then(
        async (r) => ({ status: r.status, body: await r.json() }),
      );
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => post(i % 2 ? SECOND_URL : APP_URL)));
    const byStatus = answers.reduce<Record<number, number>>((m, a) => ({ ...m, [a.status]: (m[a.status] ?? 0) + 1 }), {});
    expect(byStatus).toEqual({ 202: 1, 409: 9, 429: 20 });
    for (const a of answers) if (a.status === 429) expect(a.body.error.code).toBe("rate_limited");
    expect(await systemDb().reviewRun.count({ where: { scheduledReviewId: schedule.id } })).toBe(1);
  });
});

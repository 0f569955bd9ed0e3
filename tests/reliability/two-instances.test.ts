// The app as two instances on one database (a second `next start` of the same build beside the
// stack's): run-now's rate limit and its one-active-run lock hold across both.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { systemDb } from "@/lib/db";
import { APP_URL, tokenFor } from "@/tests/support/api";
import { resetDb } from "@/tests/support/db";
import { createSchedule } from "@/tests/support/in-process-inngest";
import { bin } from "@/scripts/run.mjs";

let SECOND_URL = "";

/** A port nothing listens on right now, from the OS. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
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
  const port = await freePort();
  SECOND_URL = `http://localhost:${port}`;
  second = spawn(bin("next"), ["start", "-p", String(port)], { env: process.env, stdio: "ignore" });
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
    // A slow CRM keeps the one run in progress for the whole burst.
    const schedule = await createSchedule({ ownerId: org, instanceUrl: "demo://?seed=42&size=20&latency_ms=20000" });
    const token = tokenFor({ userId: "user_two", orgId: org })!;
    const post = (base: string) =>
      fetch(`${base}/api/scheduled-reviews/${schedule.id}/run-now`, { method: "POST", headers: { authorization: `Bearer ${token}` } }).then(
        async (r) => ({ status: r.status, body: await r.json() }),
      );
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => post(i % 2 ? SECOND_URL : APP_URL)));
    const byStatus = answers.reduce<Record<number, number>>((m, a) => ({ ...m, [a.status]: (m[a.status] ?? 0) + 1 }), {});
    // 10 tokens, plus at most one refilled if the burst outlasts 6 s (a cold second instance).
    expect(byStatus[202]).toBe(1);
    expect(byStatus[429]).toBeGreaterThanOrEqual(19);
    expect((byStatus[202] ?? 0) + (byStatus[409] ?? 0) + (byStatus[429] ?? 0)).toBe(30);
    for (const a of answers) if (a.status === 429) expect(a.body.error.code).toBe("rate_limited");
    expect(await systemDb().reviewRun.count({ where: { scheduledReviewId: schedule.id } })).toBe(1);
  });
});

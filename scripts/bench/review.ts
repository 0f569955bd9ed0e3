// A whole review, queued -> COMPLETED, for a Demo CRM of `deals` deals: the real run-review function
// driven by the local executor (the double the tests use) over loopback HTTP, so every step goes
// through the Inngest protocol; no Next server, no delivery channels.
import http from "node:http";
import type pg from "pg";
import { LocalExecutor } from "@/scripts/local-executor/executor";
import { type Row } from "./measure";

/** The app's functions served over loopback HTTP by the SDK's Node handler, and an executor calling them. */
export async function startExecutor(autoRun = true): Promise<{ executor: LocalExecutor; close: () => Promise<void> }> {
  const executor = new LocalExecutor({ autoRun, backoffScale: 0, requestTimeoutMs: 600_000 });
  await executor.listen(Number(process.env.BENCH_EXECUTOR_PORT ?? 8334));
  process.env.INNGEST_DEV = "1";
  process.env.INNGEST_BASE_URL = executor.url;
  const { serve } = await import("inngest/node");
  const { inngest } = await import("@/inngest/client");
  const { functions } = await import("@/inngest/index");
  const server = http.createServer(serve({ client: inngest, functions }));
  const port = Number(process.env.BENCH_APP_PORT ?? 8335);
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  await executor.sync(`http://127.0.0.1:${port}/api/inngest`);
  return { executor, close: async () => void (await Promise.all([executor.close(), new Promise((r) => server.close(r))])) };
}

export async function benchReview(db: pg.Client, executor: LocalExecutor, deals: number): Promise<Row> {
  const id = `bench_review_${deals}`;
  await db.query(`INSERT INTO "CrmConnection" (id, "ownerId", provider, name, "instanceUrl", "updatedAt") VALUES ($1, 'org_review', 'DEMO', 'Demo', $2, now())`, [
    `conn_${id}`,
    `demo://?seed=42&size=${deals}&page_size=1000`,
  ]);
  await db.query(
    `INSERT INTO "ScheduledReview" (id, "ownerId", name, "crmConnectionId", cron, timezone, "deliveryChannels", "emailRecipients", "isActive", "updatedAt")
     VALUES ($1, 'org_review', 'Review', $2, '0 6 * * *', 'UTC', '{}', '{}', false, now())`,
    [id, `conn_${id}`],
  );
  await db.query(`INSERT INTO "ReviewRun" (id, "scheduledReviewId", "ownerId", trigger, "scheduledFor", "updatedAt") VALUES ($1, $1, 'org_review', 'MANUAL', now(), now())`, [id]);
  const t0 = performance.now();
  await executor.send([{ id, name: "review/run.requested", data: { runId: id, scheduleId: id, ownerId: "org_review" } }]);
  for (;;) {
    const { rows } = await db.query(`SELECT status::text, "issuesFound", "errorMessage" FROM "ReviewRun" WHERE id = $1`, [id]);
    const run = rows[0];
    if (run.status === "COMPLETED") {
      return { measure: `review queued -> completed, Demo CRM ${deals.toLocaleString("en-US")} deals`, value: performance.now() - t0, unit: "ms", floor: null, floorLabel: "", note: `${run.issuesFound} findings` };
    }
    if (run.status === "FAILED") throw new Error(`review of ${deals} deals failed: ${run.errorMessage}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Run detail at 50 connections while the same app runs a 100,000-deal review (Demo CRM, run-now through
// the API, the stack's local executor calling the app's /api/inngest): the API must stay responsive
// while a big analysis is fetched, scored and stored in the same process. The idle figure of the same
// endpoint, measured just before, is the floor.
import autocannon, { type Result } from "autocannon";
import type pg from "pg";
import type { Row } from "./measure";

const SCHEDULE = "sch_big_review";

export async function benchDetailDuringReview(db: pg.Client, o: { origin: string; token: string; ownerId: string; detailPath: string; idleP99: number; deals: number; seconds: number }): Promise<Row> {
  await db.query(`INSERT INTO "CrmConnection" (id, "ownerId", provider, name, "instanceUrl", "updatedAt") VALUES ($1, $2, 'DEMO', 'Demo CRM', $3, now())`, [
    `conn_${SCHEDULE}`, o.ownerId, `demo://?seed=42&size=${o.deals}&page_size=1000`,
  ]);
  await db.query(
    `INSERT INTO "ScheduledReview" (id, "ownerId", name, "crmConnectionId", cron, timezone, "deliveryChannels", "emailRecipients", "isActive", "updatedAt")
     VALUES ($1, $2, 'Big review', $3, '0 6 * * *', 'UTC', '{}', '{}', false, now())`,
    [SCHEDULE, o.ownerId, `conn_${SCHEDULE}`],
  );
  const headers = { authorization: `Bearer ${o.token}` };
  const res = await fetch(`${o.origin}/api/scheduled-reviews/${SCHEDULE}/run-now`, { method: "POST", headers });
  if (res.status !== 202) throw new Error(`bench api: run-now answered ${res.status}: ${await res.text()}`);
  const runId = ((await res.json()) as { run: { id: string } }).run.id;
  const status = async () => (await db.query(`SELECT status::text, "durationMs", "errorMessage" FROM "ReviewRun" WHERE id = $1`, [runId])).rows[0];
  const t0 = Date.now();
  while ((await status()).status === "QUEUED" && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 50));
  // Load for as long as the review runs (at most `seconds` x 6), so the figure covers the review and nothing after it.
  let after = await status();
  const during = await new Promise<Result>((resolve, reject) => {
    const load = autocannon({ url: `${o.origin}${o.detailPath}`, connections: 50, duration: o.seconds * 6, headers }, (err, result) => (err ? reject(err) : resolve(result)));
    const poll = async () => {
      after = await status();
      if (after.status === "RUNNING") setTimeout(() => void poll(), 100);
      else load.stop();
    };
    void poll();
  });
  const failed = during.non2xx + during.errors + during.timeouts;
  if (failed > 0) throw new Error(`bench api: run detail during the review: ${failed} of ${during.requests.total} requests failed`);
  // The review keeps going after the measurement: wait for it (bounded), so its duration is known and nothing runs on.
  let end = after;
  while (end.status !== "COMPLETED" && end.status !== "FAILED" && Date.now() - t0 < 300_000) {
    await new Promise((r) => setTimeout(r, 200));
    end = await status();
  }
  const where = after.status === "RUNNING" ? `review still running after ${o.seconds * 6} s of load` : `load while the review ran`;
  const outcome = end.status === "COMPLETED" ? `completed in ${(Number(end.durationMs) / 1000).toFixed(1)} s` : `${end.status.toLowerCase()}: ${end.errorMessage ?? "timed out waiting"}`;
  return {
    measure: `GET /api/runs/{id} during a ${o.deals.toLocaleString("en-US")}-deal review, 50 conn, p99`,
    value: during.latency.p99, unit: "ms", floor: o.idleP99, floorLabel: "same endpoint, idle",
    note: `${Math.round(during.requests.average)} req/s; ${where}; ${outcome}`,
  };
}

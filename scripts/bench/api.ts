// The API at 50 connections (autocannon) for a tenant whose schedule has `runs` runs: the app (next
// start, the e2e stack) against a bare node+pg server running the same SQL on the same database.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import autocannon, { type Result } from "autocannon";
import pg from "pg";
import { mintSessionToken } from "@/lib/dev-auth";
import { encodeCursor } from "@/lib/cursor";
import { runPageSql } from "@/lib/runs/queries";
import { lastRunsSql } from "@/lib/schedules/last-run";
import { startStack } from "../e2e-serve.mjs";
import { benchDetailDuringReview } from "./api-during-review";
import { startNextFloor } from "./next-floor";
import { seedRunHistory, seedSchedule } from "./seed";
import type { Row } from "./measure";

const OWNER = "org_api";
const SCHEDULE = "sch_api";
const BARE_PORT = Number(process.env.BENCH_BARE_PORT ?? 8336);
const NEXT_FLOOR_PORT = Number(process.env.BENCH_NEXT_FLOOR_PORT ?? 8337);

type Sql = { text: string; values: unknown[] };
const DELIVERY_COLUMNS = `id, "runId", channel, target, status, "providerMessageId", attempts, "errorCode", "errorMessage", "sentAt"`;

/** The floor: the app's queries for each endpoint, on plain pg, serialised as they come. */
function bareServer(url: string) {
  // As many connections as the app's Prisma pool (the bench sets DATABASE_POOL_SIZE): the same budget.
  const pool = new pg.Pool({ connectionString: url, max: Number(process.env.DATABASE_POOL_SIZE ?? 5) });
  const q = async (s: Sql) => (await pool.query(s.text, s.values)).rows;
  const runsWithDeliveries = async (ids: string[]) => {
    const [runs, deliveries] = await Promise.all([
      pool.query(`SELECT r.*, s.name AS "scheduleName" FROM "ReviewRun" r JOIN "ScheduledReview" s ON s.id = r."scheduledReviewId" WHERE r.id = ANY($1) AND r."ownerId" = $2`, [ids, OWNER]),
      pool.query(`SELECT ${DELIVERY_COLUMNS} FROM "Delivery" WHERE "runId" = ANY($1) ORDER BY "createdAt", id`, [ids]),
    ]);
    return runs.rows.map((r) => ({ ...r, deliveries: deliveries.rows.filter((d) => d.runId === r.id) }));
  };
  const server = http.createServer(async (req, res) => {
    const u = new URL(req.url!, "http://bare");
    let body: unknown;
    if (u.pathname === "/schedules") {
      const schedules = (await pool.query(`SELECT * FROM "ScheduledReview" WHERE "ownerId" = $1 ORDER BY "createdAt" DESC, id DESC`, [OWNER])).rows;
      const last = await q(lastRunsSql(OWNER, schedules.map((s) => s.id)) as unknown as Sql);
      body = schedules.map((s) => ({ ...s, last: last.find((l) => l.scheduleId === s.id) ?? null }));
    } else if (u.pathname === "/runs") {
      const c = u.searchParams.get("after");
      const after = c ? { createdAt: new Date(Number(c.split(".")[0])), id: c.split(".")[1]! } : null;
      const keys = await q(runPageSql(OWNER, SCHEDULE, null, after, 51) as unknown as Sql);
      body = await runsWithDeliveries(keys.slice(0, 50).map((k) => k.id));
    } else if (u.pathname === "/me") {
      body = { owner_id: OWNER, user_id: "user_api", org_id: OWNER, plan: "team", role: "admin" };
    } else body = (await runsWithDeliveries([u.pathname.slice("/run/".length)]))[0];
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  return { server, close: async () => void (await Promise.all([pool.end(), new Promise((r) => server.close(r))])) };
}

/** 50 connections for `seconds`, after a short warm-up at 10 (the first requests pay for loading and JIT). */
async function load(url: string, headers: Record<string, string>, seconds: number) {
  await autocannon({ url, connections: 10, duration: 2, headers });
  return autocannon({ url, connections: 50, duration: seconds, headers });
}

const perRequest = (r: { requests: { average: number } }) => 1000 / r.requests.average;

/** Latencies of failed requests are not the endpoint's: a run with failures is not a result. */
function assertAllOk(name: string, r: Result) {
  const failed = r.non2xx + r.errors + r.timeouts;
  if (failed > 0) throw new Error(`bench api: ${name}: ${failed} of ${r.requests.total} requests failed (non-2xx ${r.non2xx}, errors ${r.errors}, timeouts ${r.timeouts})`);
}

/** Peak RSS (VmHWM) of the process listening on `port`, from /proc. */
function peakRssMb(port: number): number | null {
  try {
    const out = execFileSync("ss", ["-ltnpH", `sport = :${port}`], { encoding: "utf8" });
    const pid = /pid=(\d+)/.exec(out)?.[1];
    const hwm = pid ? /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] : undefined;
    return hwm ? Number(hwm) / 1024 : null;
  } catch {
    return null;
  }
}

export async function benchApi(db: pg.Client, url: string, runs: number, duration: number, reviewDeals = 100_000): Promise<Row[]> {
  const exec = { $executeRawUnsafe: (sql: string) => db.query(sql) };
  await seedSchedule(exec, { ownerId: OWNER, scheduleId: SCHEDULE });
  for (let i = 1; i <= 20; i++) await seedSchedule(exec, { ownerId: OWNER, scheduleId: `${SCHEDULE}_${i}` });
  await seedRunHistory(exec, { ownerId: OWNER, scheduleId: SCHEDULE, count: runs });
  const deep = (await db.query(`SELECT id, "createdAt" FROM "ReviewRun" WHERE "scheduledReviewId" = $1 ORDER BY "createdAt" DESC, id DESC OFFSET 50000 LIMIT 1`, [SCHEDULE])).rows[0];
  const detailId = (await db.query(`SELECT id FROM "ReviewRun" WHERE "scheduledReviewId" = $1 AND id LIKE '%00' LIMIT 1`, [SCHEDULE])).rows[0].id;

  const appPort = Number(process.env.E2E_APP_PORT ?? 3100);
  const origin = `http://localhost:${appPort}`;
  const token = mintSessionToken({ plan: "team", userId: "user_api", orgId: OWNER, claims: { azp: origin } });
  const cases = [
    // No database at all: what Next's routing, the proxy and session verification cost per request,
    // the part of every endpoint below that no query can remove.
    { name: "GET /api/me (no query: framework + session floor)", app: "/api/me", floor: "/me" },
    { name: "GET /api/scheduled-reviews", app: "/api/scheduled-reviews", floor: "/schedules" },
    { name: "GET .../runs?limit=50, page 1", app: `/api/scheduled-reviews/${SCHEDULE}/runs?limit=50`, floor: "/runs" },
    { name: "GET .../runs?limit=50, 50,000 rows deep", app: `/api/scheduled-reviews/${SCHEDULE}/runs?limit=50&cursor=${encodeCursor(deep.createdAt, deep.id)}`, floor: `/runs?after=${deep.createdAt.getTime()}.${deep.id}` },
    { name: "GET /api/runs/{id}", app: `/api/runs/${detailId}`, floor: `/run/${detailId}` },
  ];
  const bare = bareServer(url);
  await new Promise<void>((r) => bare.server.listen(BARE_PORT, "127.0.0.1", r));
  const rows: Row[] = [];
  let stack: { stop: () => Promise<void> } | undefined;
  let meMs = 0;
  try {
    // Measured before the app starts, so the two never share the machine.
    const nextFloor = await startNextFloor(NEXT_FLOOR_PORT);
    try {
      const [floor, node] = [await load(nextFloor.url, {}, duration), await load(`http://127.0.0.1:${BARE_PORT}/me`, {}, duration)];
      assertAllOk("the bare Next route", floor);
      assertAllOk("the bare node /me", node);
      const note = `${Math.round(floor.requests.average)} req/s vs ${Math.round(node.requests.average)}; ${perRequest(floor).toFixed(2)} ms/request`;
      rows.push({ measure: "GET /me on a bare Next.js route (same Next version, webpack build; no proxy, session or database), 50 conn, p99", value: floor.latency.p99, unit: "ms", floor: node.latency.p99, floorLabel: "bare node http", note });
    } finally {
      await nextFloor.stop();
    }
    const start = startStack as unknown as (o: { databaseUrl: string; log: (l: string) => void }) => Promise<{ stop: () => Promise<void> }>;
    stack = await start({ databaseUrl: url, log: () => undefined }); // builds the app first if there is no build
    for (const c of cases) {
      const headers = { authorization: `Bearer ${token}` };
      const app = await load(`${origin}${c.app}`, headers, duration);
      const floor = await load(`http://127.0.0.1:${BARE_PORT}${c.floor}`, {}, duration);
      assertAllOk(c.name, app);
      // 1 / throughput (one event loop, 50 in flight; autocannon shares the CPU): what an endpoint adds over /api/me is its own.
      const ms = perRequest(app);
      if (c.app === "/api/me") meMs = ms;
      else if (!meMs) throw new Error("bench api: /api/me must be measured first");
      const own = c.app === "/api/me" ? "framework + session" : `${(ms - meMs).toFixed(1)} over /api/me`;
      const note = `${Math.round(app.requests.average)} req/s vs ${Math.round(floor.requests.average)}; ${ms.toFixed(1)} ms/request (${own}) vs ${perRequest(floor).toFixed(2)}`;
      rows.push({ measure: `${c.name}, ${runs.toLocaleString("en-US")} runs, 50 conn, p99`, value: app.latency.p99, unit: "ms", floor: floor.latency.p99, floorLabel: "bare node+pg, same SQL", note });
      rows.push({ measure: `${c.name}, p50`, value: app.latency.p50, unit: "ms", floor: floor.latency.p50, floorLabel: "bare node+pg, same SQL" });
    }
    const idle = rows.find((r) => r.measure.startsWith("GET /api/runs/{id},"))!;
    rows.push(await benchDetailDuringReview(db, { origin, token, ownerId: OWNER, detailPath: cases[4]!.app, idleP99: idle.value, deals: reviewDeals, seconds: duration }));
    const rss = peakRssMb(appPort);
    if (rss === null) console.log("[bench] app peak RSS not measured: no process listening on the app port was found in /proc (ss unavailable?)");
    else rows.push({ measure: "app (next start) peak RSS", value: rss, unit: "MB", floor: null, floorLabel: "" });
  } finally {
    await Promise.allSettled([bare.close(), stack?.stop()]);
  }
  return rows;
}

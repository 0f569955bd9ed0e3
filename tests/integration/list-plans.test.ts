// The list queries' plans at scale: with 1,000,000 runs under one schedule, EXPLAIN ANALYZE of the
// run pages (first, 50,000 rows deep, last; with and without a status), the schedule list (pages of a
// tenant with 20,000 schedules, and each schedule's latest run), an analysis's findings pages (100,000
// findings), the dispatcher's send query (queued runs among the million) and a run's detail must use
// index conditions: no Seq Scan, no Sort, no Filter on the cursor columns, and a deep page reads about
// as many buffers as the first. So must the audit trail (200,000 events: the workspace's, and one
// schedule's Activity) and the alert list (100,000 alerts, open and resolved), and the monitor list
// (3,000 monitors, 200,000 executions): its pages, and a page's metrics read by index per monitor.
// Needs real PostgreSQL (CI): on embedded PGlite seeding a million rows takes too long, so it skips.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { alertPageSql } from "@/lib/alerts/alerts";
import { auditPageSql } from "@/lib/audit/queries";
import { Prisma, systemDb } from "@/lib/db";
import { METRICS_PLANNER_SQL, METRICS_WINDOW, metricsAggregateSql, metricsRowsSql } from "@/lib/monitors/metrics-sql";
import { monitorPageSql } from "@/lib/monitors/service";
import { findingsPageSql } from "@/lib/runs/findings-page";
import { runPageSql } from "@/lib/runs/queries";
import { queuedRunsSql } from "@/lib/scheduler/send-queued";
import { lastRunsSql } from "@/lib/schedules/last-run";
import { schedulePageSql } from "@/lib/schedules/list";
import { seedAlerts, seedAuditEvents, seedFindings, seedManySchedules, seedMonitors, seedRunHistory, seedSchedule } from "@/scripts/bench/seed";
import { resetDb } from "@/tests/support/db";

const RUNS = Number(process.env.PLAN_TEST_RUNS ?? 1_000_000);
const OWNER = "org_plans";
const SCHEDULE = "sch_plans";
const CROWD = "org_plans_crowd"; // a tenant with many schedules
const SCHEDULES = 20_000;
const FINDINGS = 100_000;
const AUDIT_EVENTS = 200_000;
const ALERTS = 100_000;
const MONITORS = 3_000;
const EXECUTIONS = 200_000;
const onPglite = !process.env.TEST_DATABASE_URL;
if (onPglite) console.log("[list-plans] skipped: needs PostgreSQL (TEST_DATABASE_URL); PGlite cannot seed 1M runs in reasonable time");

type PlanNode = { "Node Type": string; "Actual Rows"?: number; "Relation Name"?: string; "Index Name"?: string; "Index Cond"?: string; Filter?: string; "Shared Hit Blocks"?: number; "Shared Read Blocks"?: number; Plans?: PlanNode[] };

/** The plan of `sql`, optionally after a statement that sets the planner up (in one transaction, as the app runs it). */
async function explain(sql: Prisma.Sql, setup?: Prisma.Sql): Promise<PlanNode> {
  const query = (db: Pick<ReturnType<typeof systemDb>, "$queryRaw">) =>
    db.$queryRaw<{ "QUERY PLAN": [{ Plan: PlanNode }] }[]>(Prisma.sql`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`);
  // A transaction only for planner settings, which must hold for the EXPLAIN and nothing else.
  const [row] = setup
    ? await systemDb().$transaction(async (tx) => (await tx.$queryRaw(setup), query(tx)), { timeout: 60_000 })
    : await query(systemDb());
  return row!["QUERY PLAN"][0].Plan;
}
const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];
const buffers = (n: PlanNode) => (n["Shared Hit Blocks"] ?? 0) + (n["Shared Read Blocks"] ?? 0);

/** What makes a list cost grow with history: a scan of the table, a sort of it, a cursor applied after the scan. */
function problems(plan: PlanNode): string[] {
  return nodes(plan).flatMap((n) => [
    ...(n["Node Type"] === "Seq Scan" ? [`Seq Scan on ${n["Relation Name"]}`] : []),
    ...(/Sort/.test(n["Node Type"]) ? [`${n["Node Type"]}`] : []),
    ...(n.Filter && /createdAt|\bid\b|status/.test(n.Filter) ? [`Filter ${n.Filter} on ${n["Relation Name"]}`] : []),
  ]);
}

let keyAt: (offset: number, status?: string) => Promise<{ id: string; createdAt: Date }>;

describe.skipIf(onPglite)(`list query plans with ${RUNS.toLocaleString("en-US")} runs under one schedule`, () => {
  beforeAll(async () => {
    await resetDb();
    await seedSchedule(systemDb(), { ownerId: OWNER, scheduleId: SCHEDULE });
    await seedRunHistory(systemDb(), { ownerId: OWNER, scheduleId: SCHEDULE, count: RUNS });
    await seedManySchedules(systemDb(), { ownerId: CROWD, prefix: "sch_crowd_", count: SCHEDULES });
    await seedFindings(systemDb(), { ownerId: OWNER, scheduleId: SCHEDULE, analysisId: "ana_plans", count: FINDINGS });
    await seedAuditEvents(systemDb(), { ownerId: OWNER, scheduleId: SCHEDULE, count: AUDIT_EVENTS });
    await seedAlerts(systemDb(), { ownerId: OWNER, count: ALERTS });
    await seedMonitors(systemDb(), { ownerId: OWNER, count: MONITORS, executions: EXECUTIONS });
    // A dispatch's worth of queued scheduled runs among the history (the send query's set).
    await systemDb().$executeRawUnsafe(`UPDATE "ReviewRun" SET status = 'QUEUED', "queuedAt" = now() - interval '30 seconds' + (random() * interval '1 second')
      WHERE "scheduledReviewId" = '${SCHEDULE}' AND "createdAt" > now() - interval '5000 minutes'`);
    await systemDb().$executeRawUnsafe(`ANALYZE "ReviewRun"`);
    keyAt = async (offset, status) => {
      const [k] = await systemDb().$queryRaw<{ id: string; createdAt: Date }[]>`
        SELECT id, "createdAt" FROM "ReviewRun" WHERE "scheduledReviewId" = ${SCHEDULE} AND (${status ?? null}::text IS NULL OR status::text = ${status ?? null})
        ORDER BY "createdAt" DESC, id DESC OFFSET ${offset} LIMIT 1`;
      return k!;
    };
  }, 600_000);
  afterAll(resetDb, 120_000);

  test("runs, newest first: page 1, 50,000 rows deep and the last page read the index the same way", async () => {
    const first = await explain(runPageSql(OWNER, SCHEDULE, null, null, 51));
    const deep = await explain(runPageSql(OWNER, SCHEDULE, null, await keyAt(Math.min(50_000, RUNS / 2)), 51));
    const last = await explain(runPageSql(OWNER, SCHEDULE, null, await keyAt(RUNS - 10), 51));
    for (const plan of [first, deep, last]) {
      const shown = JSON.stringify(nodes(plan).map((n) => ({ ...n, Plans: undefined })));
      expect(problems(plan), shown).toEqual([]);
      const cond = nodes(plan).find((n) => n["Index Name"] === "ReviewRun_scheduledReviewId_createdAt_id_idx")?.["Index Cond"];
      expect(cond, shown).toMatch(plan === first ? /scheduledReviewId/ : /"createdAt", id\) < /);
      expect(buffers(plan)).toBeLessThanOrEqual(buffers(first) * 2 + 20);
    }
  });

  test("runs of one status (failed: 1 in 50), 10,000 of them deep: an index condition on status and the cursor", async () => {
    for (const after of [null, await keyAt(Math.min(10_000, RUNS / 200), "FAILED")]) {
      const plan = await explain(runPageSql(OWNER, SCHEDULE, "FAILED", after, 51));
      expect(problems(plan)).toEqual([]);
      expect(nodes(plan).some((n) => /status/.test(n["Index Cond"] ?? ""))).toBe(true);
      expect(buffers(plan)).toBeLessThan(200);
    }
  });

  test("the schedule list's latest run: one index lookup per schedule, not the history", async () => {
    const plan = await explain(lastRunsSql(OWNER, [SCHEDULE, "sch_without_runs"]));
    expect(problems(plan)).toEqual([]);
    expect(buffers(plan)).toBeLessThan(50);
  });

  test("a run's detail and its deliveries: primary key and runId lookups", async () => {
    const { id } = await keyAt(Math.floor(RUNS / 2));
    for (const sql of [
      Prisma.sql`SELECT * FROM "ReviewRun" WHERE id = ${id} AND "ownerId" = ${OWNER} LIMIT 1`,
      Prisma.sql`SELECT id, channel, status FROM "Delivery" WHERE "runId" IN (${id}) ORDER BY "createdAt", id`,
    ]) {
      const plan = await explain(sql);
      expect(nodes(plan).filter((n) => n["Node Type"] === "Seq Scan")).toEqual([]);
      expect(buffers(plan)).toBeLessThan(50);
    }
  });

  test("the schedule list: a tenant's first page and a page 10,000 schedules deep are index conditions on the keyset", async () => {
    const [deep] = await systemDb().$queryRaw<{ id: string; createdAt: Date }[]>`
      SELECT id, "createdAt" FROM "ScheduledReview" WHERE "ownerId" = ${CROWD} ORDER BY "createdAt" DESC, id DESC OFFSET 10000 LIMIT 1`;
    const first = await explain(schedulePageSql(CROWD, null, 51));
    for (const plan of [first, await explain(schedulePageSql(CROWD, deep!, 51)), await explain(schedulePageSql(OWNER, null, 51))]) {
      const shown = JSON.stringify(nodes(plan).map((n) => ({ ...n, Plans: undefined })));
      expect(problems(plan), shown).toEqual([]);
      expect(nodes(plan).some((n) => n["Index Name"] === "ScheduledReview_ownerId_createdAt_id_idx"), shown).toBe(true);
      expect(buffers(plan)).toBeLessThanOrEqual(buffers(first) * 2 + 20);
    }
    const cond = nodes(await explain(schedulePageSql(CROWD, deep!, 51))).map((n) => n["Index Cond"] ?? "").join(" ");
    expect(cond).toMatch(/"createdAt", id\) < /);
  });

  test("an analysis's findings: page 1 and a page 90,000 findings in read the index the same way", async () => {
    const [k] = await systemDb().$queryRaw<{ dealId: string; rule: string; id: string }[]>`
      SELECT "dealId", rule, id FROM "Finding" WHERE "analysisId" = 'ana_plans' ORDER BY "dealId", rule, id OFFSET 90000 LIMIT 1`;
    const first = await explain(findingsPageSql("ana_plans", null, 201));
    const deep = await explain(findingsPageSql("ana_plans", k!, 201));
    for (const plan of [first, deep]) {
      const shown = JSON.stringify(nodes(plan).map((n) => ({ ...n, Plans: undefined })));
      expect(problems(plan), shown).toEqual([]);
      expect(buffers(plan)).toBeLessThanOrEqual(buffers(first) * 2 + 20);
    }
    expect(nodes(deep).map((n) => n["Index Cond"] ?? "").join(" ")).toMatch(/"dealId", rule, id\) > /);
  });

  test("the dispatcher's send query: queued scheduled runs since the tick, first page and after a cursor, on the (status, queuedAt, id) index", async () => {
    const since = new Date(Date.now() - 5 * 60_000);
    const [k] = await systemDb().$queryRaw<{ queuedAt: Date; id: string }[]>`
      SELECT "queuedAt", id FROM "ReviewRun" WHERE status = 'QUEUED' ORDER BY "queuedAt", id OFFSET 2500 LIMIT 1`;
    const first = await explain(queuedRunsSql(since, null, 2000));
    const next = await explain(queuedRunsSql(since, { queuedAt: k!.queuedAt.toISOString(), id: k!.id }, 2000));
    for (const plan of [first, next]) {
      const shown = JSON.stringify(nodes(plan).map((n) => ({ ...n, Plans: undefined })));
      expect(problems(plan), shown).toEqual([]);
      expect(nodes(plan).some((n) => n["Index Name"] === "ReviewRun_status_queuedAt_id_idx" && /status/.test(n["Index Cond"] ?? "")), shown).toBe(true);
    }
    expect(nodes(next).map((n) => n["Index Cond"] ?? "").join(" ")).toMatch(/"queuedAt", id\) > /);
  });
  /** A keyset list's first page and a deep one: index conditions only, the deep one on the cursor, about the same buffers. */
  function expectKeysetPlans(first: PlanNode, deep: PlanNode, index: string, cursor: RegExp) {
    for (const plan of [first, deep]) {
      const shown = JSON.stringify(nodes(plan).map((n) => ({ ...n, Plans: undefined })));
      expect(problems(plan), shown).toEqual([]);
      expect(nodes(plan).some((n) => n["Index Name"] === index), shown).toBe(true);
      expect(buffers(plan)).toBeLessThanOrEqual(buffers(first) * 2 + 20);
    }
    expect(nodes(deep).map((n) => n["Index Cond"] ?? "").join(" ")).toMatch(cursor);
  }

  test("the audit trail, the workspace's and one schedule's Activity: page 1 and 50,000 events deep on the keyset", async () => {
    for (const scheduleId of [null, SCHEDULE]) {
      const [k] = await systemDb().$queryRaw<{ id: string; createdAt: Date }[]>`
        SELECT id, "createdAt" FROM "AuditEvent" WHERE "ownerId" = ${OWNER} AND (${scheduleId}::text IS NULL OR "scheduledReviewId" = ${scheduleId})
        ORDER BY "createdAt" DESC, id DESC OFFSET 50000 LIMIT 1`;
      const index = scheduleId ? "AuditEvent_ownerId_scheduledReviewId_createdAt_id_idx" : "AuditEvent_ownerId_createdAt_id_idx";
      expectKeysetPlans(await explain(auditPageSql(OWNER, scheduleId, null, 51)), await explain(auditPageSql(OWNER, scheduleId, k!, 51)), index, /"createdAt", id\) < /);
    }
  });

  test("the alert list, open and resolved: page 1 and 50,000 alerts deep on the keyset", async () => {
    for (const [status, offset] of [["OPEN", 500], ["RESOLVED", 50_000]] as const) {
      const [k] = await systemDb().$queryRaw<{ id: string; openedAt: Date }[]>`
        SELECT id, "openedAt" FROM "Alert" WHERE "ownerId" = ${OWNER} AND status = ${status}::"AlertStatus" ORDER BY "openedAt" DESC, id DESC OFFSET ${offset} LIMIT 1`;
      expectKeysetPlans(await explain(alertPageSql(OWNER, status, null, 26)), await explain(alertPageSql(OWNER, status, k!, 26)), "Alert_ownerId_status_openedAt_id_idx", /"openedAt", id\) < /);
    }
  });
  test("the monitor list: page 1 and 2,000 monitors deep on the keyset", async () => {
    const [k] = await systemDb().$queryRaw<{ id: string; createdAt: Date }[]>`
      SELECT id, "createdAt" FROM "Monitor" WHERE "ownerId" = ${OWNER} ORDER BY "createdAt" DESC, id DESC OFFSET 2000 LIMIT 1`;
    expectKeysetPlans(await explain(monitorPageSql(OWNER, null, 51)), await explain(monitorPageSql(OWNER, k!, 51)), "Monitor_ownerId_createdAt_id_idx", /"createdAt", id\) < /);
  });

  test("a page's metrics (50 busy monitors, each past its 1,000-execution window): one index range per monitor, no scan or sort of the executions", async () => {
    const ids = (await systemDb().$queryRaw<{ id: string }[]>(monitorPageSql(OWNER, null, 50))).map((r) => r.id);
    const [{ busy }] = await systemDb().$queryRaw<{ busy: number }[]>`
      SELECT count(*)::int AS busy FROM (SELECT "monitorId" FROM "ExecutionLog" WHERE "monitorId" = ANY(${ids}) GROUP BY 1 HAVING count(*) > 1000) x`;
    expect(busy).toBeGreaterThan(40);
    for (const sql of [metricsAggregateSql(OWNER, ids, new Date()), metricsRowsSql(OWNER, ids)]) {
      const plan = await explain(sql, METRICS_PLANNER_SQL);
      const shown = JSON.stringify(nodes(plan).map((n) => ({ ...n, Plans: undefined })));
      expect(nodes(plan).filter((n) => n["Node Type"] === "Seq Scan" || /Sort/.test(n["Node Type"])), shown).toEqual([]);
      // Each monitor's range stops at the window: no more than 1000 + 1 rows read per monitor.
      expect(Math.max(...nodes(plan).filter((n) => n["Relation Name"] === "ExecutionLog").map((n) => n["Actual Rows"] ?? 0)), shown).toBeLessThanOrEqual(METRICS_WINDOW);
      const scans = nodes(plan).filter((n) => n["Relation Name"] === "ExecutionLog");
      expect(scans.length, shown).toBeGreaterThan(0);
      for (const n of scans) {
        expect(n["Index Name"], shown).toBe("ExecutionLog_monitorId_createdAt_id_idx");
        expect(n["Index Cond"], shown).toMatch(/"monitorId" = /);
      }
    }
  });
});

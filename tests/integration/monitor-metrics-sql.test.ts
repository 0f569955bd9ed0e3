// The monitor metrics computed in SQL for a page of monitors (lib/monitors/metrics-sql.ts) against the
// plain definition (computeMetrics in lib/monitors/state.ts) over the same latest 1,000 rows, read here
// with their own query: every status, null durations, running executions, 8+ days of history, more than
// 1,000 executions on one monitor (so the window decides), and executions sharing a millisecond.
import { beforeAll, describe, expect, test } from "vitest";
import { forTenant, systemDb } from "@/lib/db";
import type { ExecutionLog } from "@/lib/generated/prisma/client";
import { METRICS_WINDOW, monitorWindows } from "@/lib/monitors/metrics-sql";
import { executionDto } from "@/lib/monitors/serialize";
import { computeMetrics } from "@/lib/monitors/state";
import { resetDb } from "@/tests/support/db";

const OWNER = "org_metrics_sql";
const OTHER = "org_metrics_sql_other";
const NOW = new Date("2026-11-20T15:30:00.000Z");
const HOUR = 3_600_000;
const STATUSES = ["SUCCESS", "FAILURE", "PARTIAL", "RUNNING"] as const;

// A fixed pseudo-random sequence: the same data on every run.
let seed = 42;
const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);

async function monitor(ownerId: string, id: string) {
  await systemDb().monitor.create({ data: { id, ownerId, name: id, ingestTokenHash: `hash_${id}`, ingestTokenMasked: "rwm_…" } });
}

/** `count` executions over `days` days back from NOW, in groups of `tie` sharing one createdAt. */
async function executions(ownerId: string, monitorId: string, count: number, days: number, tie = 1) {
  const data = Array.from({ length: count }, (_, i) => {
    const status = STATUSES[Math.floor(rand() * STATUSES.length)]!;
    const createdAt = new Date(NOW.getTime() - Math.floor(Math.floor(i / tie) * ((days * 24 * HOUR) / count) * tie) - 1);
    const durationMs = status === "RUNNING" || rand() < 0.15 ? null : Math.floor(rand() * 100_000);
    return {
      id: `exe${monitorId}${String(i).padStart(5, "0")}`, monitorId, ownerId, status, externalId: `run-${i}`,
      startedAt: rand() < 0.5 ? new Date(createdAt.getTime() - 1000) : null, finishedAt: status === "RUNNING" ? null : createdAt,
      durationMs, workflowName: "export", failedActionId: status === "FAILURE" ? `a${i % 7}` : null,
      failedActionName: status === "FAILURE" ? "Upload" : null, message: status === "FAILURE" ? `error ${i}` : null, createdAt,
    };
  });
  for (let i = 0; i < data.length; i += 500) await systemDb().executionLog.createMany({ data: data.slice(i, i + 500) });
}

/** The expected value: the latest METRICS_WINDOW rows read here, handed to the JS definition. */
async function expected(monitorId: string) {
  const rows: ExecutionLog[] = await systemDb().executionLog.findMany({
    where: { monitorId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: METRICS_WINDOW,
  });
  return { last: rows[0] ?? null, metrics: computeMetrics(rows.map((e) => ({ ...e, dto: executionDto(e) })), NOW) };
}

const MONITORS = ["mbig", "mties", "mrunning", "mempty", "mfew"];

describe("monitor metrics in SQL", () => {
  beforeAll(async () => {
    await resetDb();
    for (const id of MONITORS) await monitor(OWNER, id);
    await monitor(OTHER, "mother");
    await executions(OWNER, "mbig", 1_300, 12, 3); // beyond the window; threes share a millisecond, one three across the edge
    await executions(OWNER, "mties", 60, 9, 5); // more than 10 failures, tied in groups of 5
    await executions(OWNER, "mfew", 7, 0.2);
    await systemDb().executionLog.create({ data: { id: "exemrunning", monitorId: "mrunning", ownerId: OWNER, status: "RUNNING", externalId: "r", startedAt: new Date(NOW.getTime() - HOUR), createdAt: new Date(NOW.getTime() - HOUR) } });
    await executions(OTHER, "mother", 30, 3);
  }, 120_000);

  test("a page of monitors: the same last execution and metrics as computeMetrics over the same rows", async () => {
    const got = await monitorWindows(forTenant(OWNER), OWNER, MONITORS, NOW);
    expect([...got.keys()]).toEqual(MONITORS);
    for (const id of MONITORS) expect(got.get(id), id).toEqual(await expected(id));
    // The data exercises what it should: a full window, failures beyond 10, an empty and a running-only monitor.
    const big = got.get("mbig")!.metrics;
    expect(big.total + big.running).toBe(METRICS_WINDOW);
    expect(big.trend.every((d) => d.total > 0)).toBe(true);
    expect(big.p95_duration_ms).not.toBeNull();
    expect(got.get("mties")!.metrics.recent_failures).toHaveLength(10);
    expect(got.get("mempty")).toEqual({ last: null, metrics: computeMetrics([], NOW) });
    expect(got.get("mrunning")!.metrics).toMatchObject({ total: 0, running: 1, failure_rate_pct: null, p95_duration_ms: null });
  });

  test("the window's edge falls between two executions of the same millisecond in id order", async () => {
    const rows = await systemDb().executionLog.findMany({ where: { monitorId: "mbig" }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip: METRICS_WINDOW - 1, take: 2 });
    expect(rows[0]!.createdAt).toEqual(rows[1]!.createdAt);
  });

  test("one monitor alone gives what it gives on a page; another workspace's monitor has no executions here", async () => {
    const alone = await monitorWindows(forTenant(OWNER), OWNER, ["mties"], NOW);
    expect(alone.get("mties")).toEqual(await expected("mties"));
    const foreign = await monitorWindows(forTenant(OWNER), OWNER, ["mother"], NOW);
    expect(foreign.get("mother")).toEqual({ last: null, metrics: computeMetrics([], NOW) });
    expect((await expected("mother")).metrics.total).toBeGreaterThan(0);
  });
});

// Store an analysis with `count` findings: the app's step (one transaction, chunked multi-row
// inserts) against one plain multi-row INSERT of the same rows through pg.
import type pg from "pg";
import { generateDemoDeals } from "@/lib/crm/demo";
import { analyzeDeals } from "@/lib/reviews/analyze";
import { FindingTable } from "@/lib/reviews/findings";
import { DEFAULT_RULE_SETTINGS, resolveRuleSettings, type AnalysisResult } from "@/lib/reviews/types";
import { storeAnalysis } from "@/lib/runs/analyse";
import { seedSchedule } from "./seed";
import { timed, type Row } from "./measure";

function resultWith(count: number): AnalysisResult {
  const now = new Date("2026-06-01T12:00:00.000Z");
  const base = analyzeDeals(generateDemoDeals({ seed: 42, size: 20_000, now }), resolveRuleSettings(DEFAULT_RULE_SETTINGS), now);
  // `count` rows of the engine's findings table, its rows repeated in order.
  const table = new FindingTable(base.table.deals, count);
  for (let i = 0; i < count; i++) {
    const j = i % base.table.length;
    table.push(base.table.deal[j]!, base.table.rule[j]!, base.table.severity[j]!, table.intern(base.table.messageAt(j)));
  }
  return { ...base, table, findings: table.toArray(), issuesFound: count };
}

export async function benchStore(db: pg.Client, count: number): Promise<Row> {
  const ownerId = "org_store";
  const scheduleId = "sch_store";
  await seedSchedule({ $executeRawUnsafe: (sql) => db.query(sql) }, { ownerId, scheduleId });
  const runId = `run_store_${count}`;
  await db.query(
    `INSERT INTO "ReviewRun" (id, "scheduledReviewId", "ownerId", trigger, "scheduledFor", status, "updatedAt") VALUES ($1, $2, $3, 'MANUAL', now(), 'RUNNING', now())`,
    [runId, scheduleId, ownerId],
  );
  const result = resultWith(count);
  const app = await timed(() => storeAnalysis(runId, `an_bench_${count}`, { ownerId, scheduleId }, result));
  const stored = await db.query(`SELECT count(*)::int AS n FROM "Finding" WHERE "analysisId" = $1`, [`an_bench_${count}`]);
  if (stored.rows[0].n !== count) throw new Error(`store bench: ${stored.rows[0].n} findings stored, expected ${count}`);

  const floorId = `an_floor_${count}`;
  await db.query(
    `INSERT INTO "Analysis" (id, "ownerId", "scheduledReviewId", "dealsAnalyzed", "healthScore", "issuesFound", "highRiskDeals") VALUES ($1, $2, $3, 0, 0, 0, 0)`,
    [floorId, ownerId, scheduleId],
  );
  const f = result.findings;
  const floor = await timed(async () => {
    await db.query("BEGIN");
    await db.query(
      `INSERT INTO "Finding" (id, "analysisId", "dealId", "dealName", amount, stage, rule, severity, message)
       SELECT $1 || '_' || n, $1, d, dn, a, s, r, sv::"Severity", m
       FROM unnest($2::text[], $3::text[], $4::float8[], $5::text[], $6::text[], $7::text[], $8::text[]) WITH ORDINALITY AS v(d, dn, a, s, r, sv, m, n)`,
      [floorId, f.map((x) => x.dealId), f.map((x) => x.dealName), f.map((x) => x.amount), f.map((x) => x.stage), f.map((x) => x.rule), f.map((x) => x.severity), f.map((x) => x.message)],
    );
    await db.query("COMMIT");
  });
  return { measure: `store an analysis, ${count.toLocaleString("en-US")} findings`, value: app.ms, unit: "ms", floor: floor.ms, floorLabel: "one multi-row insert (pg)" };
}

// The peer: the same 13 default rules written for json-rules-engine 7.3.1 (the library teams reach for),
// run deal by deal on the same data. Derived values (idle days, days in stage, drop in amount) are the
// engine's dynamic facts, computed from the deal as its rules ask for them; the result is hits per rule.
import { Engine, type RuleProperties } from "json-rules-engine";
import { STAGE_EXPECTED_PROBABILITY, type Deal, type RuleId } from "@/lib/reviews/types";

const DAY = 86_400_000;
const blank = (s: string | null) => s === null || s.trim() === "";
type C = { fact: string; operator: string; value: unknown; path?: string };
const dealField = (path: string, operator: string, value: unknown): C => ({ fact: "deal", path: `$.${path}`, operator, value });
const rule = (type: RuleId, all: C[]): RuleProperties => ({ conditions: { all }, event: { type } });

export function jreEngine(now: Date): Engine {
  const nowMs = now.getTime();
  const today = now.toISOString().slice(0, 10);
  const engine = new Engine(
    [
      rule("stale", [{ fact: "idleDays", operator: "greaterThanInclusive", value: 14 }]),
      rule("past_close_date", [{ fact: "closeDay", operator: "lessThan", value: today }]),
      rule("no_next_step", [{ fact: "nextStepBlank", operator: "equal", value: true }]),
      rule("stalled_in_stage", [{ fact: "daysInStage", operator: "greaterThanInclusive", value: 30 }]),
      rule("no_owner", [{ fact: "ownerBlank", operator: "equal", value: true }]),
      rule("missing_amount", [{ fact: "amountMissing", operator: "equal", value: true }]),
      rule("close_date_pushed", [dealField("closeDatePushes", "greaterThanInclusive", 2)]),
      rule("probability_inconsistent", [{ fact: "probabilityGap", operator: "greaterThan", value: 25 }]),
      rule("close_date_slipped", [dealField("closeDateSlipDays", "greaterThanInclusive", 30)]),
      rule("stage_moved_backward", [dealField("stageBackwardMoves", "greaterThanInclusive", 1)]),
      rule("amount_decreased", [{ fact: "amountDropPct", operator: "greaterThanInclusive", value: 20 }]),
      rule("no_next_activity", [dealField("nextActivityScheduled", "equal", false)]),
      rule("single_threaded", [dealField("contactCount", "notEqual", null), dealField("contactCount", "lessThanInclusive", 1)]),
    ],
    { allowUndefinedFacts: true },
  );
  const derived = <T>(id: string, f: (d: Deal) => T) => engine.addFact<Promise<T>>(id, async (_p, almanac) => f(await almanac.factValue<Deal>("deal")));
  derived("idleDays", (d) => (nowMs - Date.parse(d.lastActivityAt ?? d.createdAt)) / DAY);
  derived("closeDay", (d) => d.closeDate?.slice(0, 10) ?? null);
  derived("nextStepBlank", (d) => blank(d.nextStep));
  derived("daysInStage", (d) => (d.stageEnteredAt === null ? null : (nowMs - Date.parse(d.stageEnteredAt)) / DAY));
  derived("ownerBlank", (d) => blank(d.owner));
  derived("amountMissing", (d) => d.amount === null || !Number.isFinite(d.amount) || d.amount <= 0);
  derived("probabilityGap", (d) => {
    const expected = STAGE_EXPECTED_PROBABILITY[d.stage.trim().toLowerCase()];
    return d.probability === null || expected === undefined ? null : Math.abs(d.probability - expected);
  });
  derived("amountDropPct", (d) => {
    const peak = d.peakAmount;
    return peak == null || !(peak > 0) || d.amount === null || d.amount >= peak ? null : Math.round(((peak - d.amount) / peak) * 100);
  });
  return engine;
}

/** Hits per rule over `deals`, one engine run per deal (the library's model: one fact set per run). */
export async function jreRuleCounts(engine: Engine, deals: readonly Deal[]): Promise<Partial<Record<RuleId, number>>> {
  const counts: Partial<Record<RuleId, number>> = {};
  for (const deal of deals) {
    const { events } = await engine.run({ deal });
    for (const e of events) counts[e.type as RuleId] = (counts[e.type as RuleId] ?? 0) + 1;
  }
  return counts;
}

// Rules: analyzeDeals (all rules + findings + messages + score) against an honest floor, a hand-written
// loop over the same 13 predicates (./rules-floor), and the peer json-rules-engine (./rules-jre), on the
// same generated deals. The three agree on the hits per rule (checked here and in tests/unit/rules-floor.test.ts).
import v8 from "node:v8";
import vm from "node:vm";
import { analyzeDeals } from "@/lib/reviews/analyze";
import { DEFAULT_RULE_SETTINGS, resolveRuleSettings, RULE_IDS } from "@/lib/reviews/types";
import { median, type Row } from "./measure";
import { bareRuleCounts, benchDeals } from "./rules-floor";
import { jreEngine, jreRuleCounts } from "./rules-jre";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

async function sample(f: () => unknown, iterations: number, warmups = 3): Promise<number> {
  for (let i = 0; i < warmups; i++) await f(); // warm-up: the JIT settles first
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    gc();
    const t0 = performance.now();
    await f();
    times.push(performance.now() - t0);
  }
  return median(times);
}

export async function benchRules(size: number, iterations: number, peerSize = 10_000): Promise<Row[]> {
  const now = new Date("2026-06-01T12:00:00.000Z");
  const settings = resolveRuleSettings(DEFAULT_RULE_SETTINGS);
  const deals = benchDeals(size, now);
  const result = analyzeDeals(deals, settings, now);
  const floorCounts = bareRuleCounts(deals, now);
  const peer = jreEngine(now);
  const subset = deals.slice(0, peerSize);
  const peerCounts = await jreRuleCounts(peer, subset);
  const subsetCounts = bareRuleCounts(subset, now);
  for (const r of RULE_IDS) {
    if (result.countsByRule[r] !== floorCounts[r]) throw new Error(`bench rules: ${r}: engine ${result.countsByRule[r]} hits, bare loop ${floorCounts[r]}`);
    if ((peerCounts[r] ?? 0) !== subsetCounts[r]) throw new Error(`bench rules: ${r}: json-rules-engine ${peerCounts[r] ?? 0} hits, bare loop ${subsetCounts[r]}`);
  }
  const engine = await sample(() => analyzeDeals(deals, settings, now), iterations);
  const loop = await sample(() => bareRuleCounts(deals, now), iterations);
  // One engine run per deal is ~100x slower: measured on a prefix and scaled linearly (it is per deal).
  const scale = size / subset.length;
  const jre = (await sample(() => jreRuleCounts(peer, subset), 3, 1)) * scale;
  const n = size.toLocaleString("en-US");
  return [
    { measure: `rules: ${n} deals, all rules + findings + score (median)`, value: engine, unit: "ms", floor: loop, floorLabel: "bare hand-written loop, 13 predicates", note: `${result.issuesFound} findings` },
    { measure: `rules: json-rules-engine 7.3.1, same rules (${subset.length.toLocaleString("en-US")} deals x${scale}, extrapolated)`, value: jre, unit: "ms", floor: engine, floorLabel: "revwatch engine" },
  ];
}

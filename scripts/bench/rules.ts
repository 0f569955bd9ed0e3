// Rules: analyzeDeals (rules + findings + score) against a bare loop over the same registered rules
// (evaluateDeal on the compiled settings, nothing else), on the same generated deals.
import v8 from "node:v8";
import vm from "node:vm";
import { generateDemoDeals } from "@/lib/crm/demo";
import { analyzeDeals } from "@/lib/reviews/analyze";
import { compileRules, evaluateDeal } from "@/lib/reviews/rules";
import { DEFAULT_RULE_SETTINGS, resolveRuleSettings, type Finding } from "@/lib/reviews/types";
import { median, type Row } from "./measure";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

function sample(f: () => void, iterations: number): number {
  for (let i = 0; i < 3; i++) f(); // warm-up: the JIT settles first
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    gc();
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  return median(times);
}

export function benchRules(size: number, iterations: number): Row[] {
  const now = new Date("2026-06-01T12:00:00.000Z");
  const settings = resolveRuleSettings(DEFAULT_RULE_SETTINGS);
  const deals = generateDemoDeals({ seed: 42, size, now });
  let findings = 0;
  const engine = sample(() => void (findings = analyzeDeals(deals, settings, now).issuesFound), iterations);
  const loop = sample(() => {
    const c = compileRules(settings, now);
    const out: Finding[] = [];
    for (let i = 0; i < deals.length; i++) evaluateDeal(c, deals[i]!, out);
  }, iterations);
  return [{ measure: `rules: ${size.toLocaleString("en-US")} deals, all rules + findings + score (median)`, value: engine, unit: "ms", floor: loop, floorLabel: "bare loop, same rules", note: `${findings} findings` }];
}

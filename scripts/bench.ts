/**
 * Rules-engine benchmark: `npm run bench [-- --size N] [--iterations N]`.
 * Generates demo deals once, warms the JIT up, then times analyzeDeals alone.
 */
import os from "node:os";
import v8 from "node:v8";
import vm from "node:vm";
import { generateDemoDeals } from "@/lib/crm/demo";
import { analyzeDeals } from "@/lib/reviews/analyze";
import { DEFAULT_RULE_SETTINGS, resolveRuleSettings } from "@/lib/reviews/types";

function intArg(name: string, def: number): number {
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const raw = a === `--${name}` ? args[i + 1] : a.startsWith(`--${name}=`) ? a.slice(name.length + 3) : undefined;
    if (raw === undefined) continue;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${raw}"`);
    return n;
  }
  return def;
}

const size = intArg("size", 100_000);
const iterations = intArg("iterations", 15);
const warmup = 5;
// Fixed clock so runs are comparable across days.
const now = new Date("2026-06-01T12:00:00.000Z");
const settings = resolveRuleSettings(DEFAULT_RULE_SETTINGS);

// Collect the previous iteration's garbage outside the timed region so every iteration starts
// from the same heap; GC caused by the analysis itself is still timed.
v8.setFlagsFromString("--expose-gc");
const collectGarbage = vm.runInNewContext("gc") as () => void;

let peakRss = 0;
let peakHeap = 0;
const sampleMemory = (): void => {
  const m = process.memoryUsage();
  if (m.rss > peakRss) peakRss = m.rss;
  if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
};
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

sampleMemory();
const genStart = performance.now();
// The demo CRM reports no CRM-only signals; give every deal some (as a Salesforce or HubSpot fetch
// would) so the signal rules really run on all of them.
const deals = generateDemoDeals({ seed: 42, size, now }).map((d, i) => ({
  ...d, closeDateSlipDays: (i * 7) % 60, stageBackwardMoves: i % 11 === 0 ? 1 : 0, peakAmount: d.amount === null ? null : d.amount * (i % 5 === 0 ? 1.5 : 1),
  nextActivityScheduled: i % 4 !== 0, contactCount: i % 3,
}));
const genMs = performance.now() - genStart;
sampleMemory();

let result = analyzeDeals(deals, settings, now);
for (let i = 1; i < warmup; i++) result = analyzeDeals(deals, settings, now);
sampleMemory();

const times: number[] = [];
for (let i = 0; i < iterations; i++) {
  collectGarbage();
  const t0 = performance.now();
  result = analyzeDeals(deals, settings, now);
  times.push(performance.now() - t0);
  sampleMemory();
}

times.sort((a, b) => a - b);
const median = times.length % 2 ? times[(times.length - 1) / 2] : (times[times.length / 2 - 1] + times[times.length / 2]) / 2;
const min = times[0];
const per100k = (ms: number): string => ((ms * 100_000) / size).toFixed(1);

console.log(`revwatch rules bench — node ${process.version}, ${process.platform}/${process.arch}`);
// Other processes on a small box skew wall-clock numbers; record how busy it was.
console.log(`load average (1m): ${os.loadavg()[0].toFixed(2)} on ${os.availableParallelism()} cpus`);
console.log(`deals: ${size}`);
console.log(`generate: ${genMs.toFixed(1)} ms`);
console.log(`iterations: ${iterations} (after ${warmup} warm-up)`);
console.log(`analyze median: ${median.toFixed(2)} ms (${per100k(median)} ms per 100k)`);
console.log(`analyze min: ${min.toFixed(2)} ms (${per100k(min)} ms per 100k)`);
console.log(`throughput: ${Math.round((size / median) * 1000).toLocaleString("en-US")} deals/s (median)`);
console.log(`findings: ${result.issuesFound}`);
console.log(`high-risk deals: ${result.highRiskDeals}`);
console.log(`health score: ${result.healthScore} (${result.band})`);
console.log(`peak rss: ${mb(peakRss)}`);
console.log(`peak heap used: ${mb(peakHeap)}`);

import { cron } from "inngest";
import { inngest } from "@/inngest/client";
import { pruneHistory } from "@/lib/retention/prune";

// Daily: runs (with analyses and deliveries) past each workspace's retention, kept as daily aggregates,
// and scheduler ticks past theirs are deleted in bounded batches; each step resumes where it stopped.
export const pruneOldHistory = inngest.createFunction(
  { id: "prune-history", name: "Prune old run history", triggers: [cron("23 3 * * *")], concurrency: { limit: 1 }, retries: 2 },
  async ({ step }) => {
    let total = { aggregated: 0, runs: 0, ticks: 0 };
    // Each step deletes a bounded amount; the loop ends when a step finds nothing left.
    for (let i = 0; i < 100; i++) {
      const r = await step.run(`prune-${i}`, () => pruneHistory());
      total = { aggregated: total.aggregated + r.aggregated, runs: total.runs + r.runs, ticks: total.ticks + r.ticks };
      if (r.done) break;
    }
    return total;
  },
);

import { postcheckCompleted } from "@/inngest/events";
import { schedulerCron } from "@/inngest/with-tick";
import { runPostcheck } from "@/lib/monitoring/postcheck";

// Every hour: the coverage postcheck over the last 24 h (expected slots vs completed runs), recorded
// as a POSTCHECK tick with the coverage and its status; tenants read their own at /monitoring. Then
// monitoring/postcheck.completed (id = this run's, so a retry announces it once) for the coverage alerts.
export const coveragePostcheck = schedulerCron(
  { id: "coverage-postcheck", name: "Coverage postcheck", cron: "5 * * * *", kind: "POSTCHECK" },
  async ({ step, now, report }) => {
    const result = await step.run("postcheck", () => runPostcheck(now));
    report(result);
    await step.sendEvent("announce", postcheckCompleted.create({ at: now.toISOString() }, { id: `postcheck:${now.getTime()}` }));
  },
);

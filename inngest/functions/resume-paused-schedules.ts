import { cron } from "inngest";
import { inngest } from "@/inngest/client";
import { resumeDueSchedules } from "@/lib/schedules/resume";

// Every minute: paused schedules whose resume_at has come are active again (one audit row each).
export const resumePausedSchedules = inngest.createFunction(
  { id: "resume-paused-schedules", name: "Resume paused schedules", triggers: [cron("* * * * *")], concurrency: { limit: 1 }, retries: 2 },
  async ({ step }) => step.run("resume-due", () => resumeDueSchedules()),
);

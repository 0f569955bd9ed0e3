import type { InngestFunction } from "inngest";
import { alertOnConnectionExpired } from "./functions/alert-on-connection-expired";
import { alertOnMonitorExecution } from "./functions/alert-on-monitor-execution";
import { alertOnPostcheck } from "./functions/alert-on-postcheck";
import { alertOnRunOutcome } from "./functions/alert-on-run-outcome";
import { alertSweep } from "./functions/alert-sweep";
import { autoPauseOnFailure } from "./functions/auto-pause-on-failure";
import { coveragePostcheck } from "./functions/coverage-postcheck";
import { dispatchDueReviews } from "./functions/dispatch-due-reviews";
import { pruneOldHistory } from "./functions/prune-history";
import { reconcileStuckRuns } from "./functions/reconcile-stuck-runs";
import { resumePausedSchedules } from "./functions/resume-paused-schedules";
import { runReview } from "./functions/run-review";

// Every function the serve endpoint registers. One function per file in ./functions.
export const functions: InngestFunction.Any[] = [
  dispatchDueReviews, runReview, reconcileStuckRuns, coveragePostcheck, resumePausedSchedules, pruneOldHistory,
  alertOnRunOutcome, alertOnConnectionExpired, alertOnPostcheck, alertSweep, alertOnMonitorExecution,
  autoPauseOnFailure,
];

// The schedule form's check of its policy fields, with the API's bounds (the server checks them again).
// Its own module: the form loads it on submit, not with the page.
import type { FieldIssue } from "@/components/schedules/api";
import type { FormValues } from "@/components/schedules/form-model";
import { MAX_AUTO_PAUSE_AFTER_FAILURES, MAX_CATCH_UP_WINDOW_MINUTES } from "@/lib/schedules/constants";

const WHOLE = /^\d+$/;
/** The API's bounds on the policy fields, checked before sending (the server checks them again). */
export function policyIssues(v: FormValues): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const window = v.catch_up_window_minutes.trim();
  if (!WHOLE.test(window) || Number(window) < 1 || Number(window) > MAX_CATCH_UP_WINDOW_MINUTES)
    issues.push({ path: "catch_up_window_minutes", message: `Enter whole minutes from 1 to ${MAX_CATCH_UP_WINDOW_MINUTES} (30 days)` });
  const failures = v.auto_pause_after_failures.trim();
  if (failures !== "" && (!WHOLE.test(failures) || Number(failures) < 1 || Number(failures) > MAX_AUTO_PAUSE_AFTER_FAILURES))
    issues.push({ path: "auto_pause_after_failures", message: `Enter a whole number from 1 to ${MAX_AUTO_PAUSE_AFTER_FAILURES}, or leave it empty` });
  return issues;
}

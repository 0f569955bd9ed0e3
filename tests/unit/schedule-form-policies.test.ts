// The schedule form's policy fields: checked with the API's bounds, sent in the API's shape.
import { describe, expect, it } from "vitest";
import { initialValues, toCreateBody, toPatchBody } from "@/components/schedules/form-model";
import { policyIssues } from "@/components/schedules/policy-check";
import { createScheduleSchema } from "@/lib/schedules/schemas";

const base = { ...initialValues(undefined, "0 6 * * 1"), name: "P", crm_connection_id: "conn_1", timezone: "UTC" };

describe("schedule form policies", () => {
  it("defaults to the API's defaults and sends a body the API accepts", () => {
    expect(policyIssues(base)).toEqual([]);
    const body = toCreateBody(base);
    expect(body).toMatchObject({ overlap_policy: "skip", catch_up_policy: "run_once", catch_up_window_minutes: 1440, auto_pause_after_failures: null });
    expect(createScheduleSchema.safeParse(body).success).toBe(true);
  });

  it("refuses what the API refuses, naming the field", () => {
    for (const [window, pause] of [["0", ""], ["43201", ""], ["1.5", ""], ["", ""], ["60", "0"], ["60", "101"], ["60", "two"]] as const) {
      const v = { ...base, catch_up_window_minutes: window, auto_pause_after_failures: pause };
      const issues = policyIssues(v);
      expect(issues.length, `${window}/${pause}`).toBeGreaterThan(0);
      expect(createScheduleSchema.safeParse(toCreateBody(v)).success, `${window}/${pause}`).toBe(false);
    }
    const ok = { ...base, catch_up_window_minutes: "43200", auto_pause_after_failures: "100", overlap_policy: "buffer_one" as const };
    expect(policyIssues(ok)).toEqual([]);
    expect(createScheduleSchema.parse(toCreateBody(ok))).toMatchObject({ catch_up_window_minutes: 43200, auto_pause_after_failures: 100, overlap_policy: "buffer_one" });
  });

  it("an edit sends only the policies that changed", () => {
    expect(toPatchBody({ ...base, auto_pause_after_failures: "3" }, base)).toEqual({ auto_pause_after_failures: 3 });
  });
});

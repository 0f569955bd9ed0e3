// The auto-pause Inngest function (issue #17, review 17 #2): review/run.failed runs one step,
// "auto-pause", which calls autoPauseIfFailing for the failed run's schedule; the serve endpoint
// registers it under the app's id.
import { InngestTestEngine } from "@inngest/test";
import { beforeEach, describe, expect, test, vi } from "vitest";

vi.mock("@/lib/schedules/auto-pause", () => ({ autoPauseIfFailing: vi.fn() }));

const { autoPauseOnFailure } = await import("@/inngest/functions/auto-pause-on-failure");
const { inngest } = await import("@/inngest/client");
const { functions } = await import("@/inngest/index");
const { autoPauseIfFailing } = vi.mocked(await import("@/lib/schedules/auto-pause"));

const failed = {
  name: "review/run.failed",
  data: { runId: "run_1", scheduleId: "sch_1", ownerId: "org_1", errorCode: "crm_error", errorMessage: "CRM down" },
} as const;

beforeEach(() => autoPauseIfFailing.mockReset());

describe("auto-pause-on-failure", () => {
  test("review/run.failed: the auto-pause step calls autoPauseIfFailing for the run's schedule", async () => {
    autoPauseIfFailing.mockResolvedValue(true);
    const { result, error, ctx } = await new InngestTestEngine({ function: autoPauseOnFailure, events: [failed] }).execute();
    expect(error).toBeUndefined();
    expect(result).toEqual({ scheduleId: "sch_1", paused: true });
    expect(ctx.step.run.mock.calls.map(([id]) => id)).toEqual(["auto-pause"]);
    expect(autoPauseIfFailing).toHaveBeenCalledTimes(1);
    expect(autoPauseIfFailing.mock.calls[0]![0]).toBe("sch_1");
  });

  test("the serve endpoint registers it as revwatch-auto-pause-on-failure", () => {
    const ids = functions.map((f) => f.id(inngest.id));
    expect(ids).toContain("revwatch-auto-pause-on-failure");
    expect(ids.filter((id) => id === "revwatch-auto-pause-on-failure")).toHaveLength(1);
  });
});

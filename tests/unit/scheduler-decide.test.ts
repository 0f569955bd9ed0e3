// lib/scheduler/decide.ts, one policy branch at a time: which slot runs, how many are counted missed,
// catch-up (RUN_ONCE / SKIP, grace, window), overlap (SKIP / BUFFER_ONE / ALLOW) and the next run.
import { describe, expect, it } from "vitest";
import { CATCH_UP_GRACE_MS, decide, dueSlots, slotTiming, type ActiveRun, type DueSchedule } from "@/lib/scheduler/decide";

const at = (iso: string) => new Date(iso);
/** Hourly at :00 UTC; next_run_at 10:00, a run of the day window unless told otherwise. */
const schedule = (over: Partial<DueSchedule> = {}): DueSchedule => ({
  id: "sch_1", ownerId: "org_1", cron: "0 * * * *", timezone: "UTC", nextRunAt: at("2026-03-02T10:00:00Z"),
  catchUpPolicy: "RUN_ONCE", catchUpWindowMinutes: 1440, overlapPolicy: "SKIP", ...over,
});
const running = (scheduledFor: string, id = "run_old"): ActiveRun => ({ id, scheduledFor: at(scheduledFor) });

describe("dueSlots / slotTiming", () => {
  it("finds the latest due slot and counts every slot in [next_run_at, now]", () => {
    expect(dueSlots("0 * * * *", "UTC", at("2026-03-02T10:00:00Z"), at("2026-03-02T13:30:00Z"))).toEqual({ latest: at("2026-03-02T13:00:00Z"), count: 4 });
    expect(slotTiming(schedule(), at("2026-03-02T10:00:20Z"))).toEqual({ latest: at("2026-03-02T10:00:00Z"), count: 1, next: at("2026-03-02T11:00:00Z") });
  });

  it("treats a next_run_at that is off the cron as the one slot due", () => {
    expect(dueSlots("0 * * * *", "UTC", at("2026-03-02T10:17:00Z"), at("2026-03-02T10:20:00Z"))).toEqual({ latest: at("2026-03-02T10:17:00Z"), count: 1 });
  });

  it("throws on a cron that no longer parses (the dispatcher counts the schedule failed)", () => {
    expect(() => slotTiming(schedule({ cron: "not a cron" }), at("2026-03-02T10:00:20Z"))).toThrow();
  });
});

describe("decide", () => {
  it("queues the due slot on time, with nothing missed and the next run after now", () => {
    expect(decide(schedule(), at("2026-03-02T10:00:20Z"), [])).toEqual({ kind: "queue", slot: at("2026-03-02T10:00:00Z"), missed: 0, next: at("2026-03-02T11:00:00Z") });
  });

  it("RUN_ONCE after downtime: the latest slot runs, the earlier ones are counted missed", () => {
    expect(decide(schedule(), at("2026-03-02T13:20:00Z"), [])).toEqual({ kind: "queue", slot: at("2026-03-02T13:00:00Z"), missed: 3, next: at("2026-03-02T14:00:00Z") });
  });

  it("SKIP after downtime: no run, every due slot missed", () => {
    expect(decide(schedule({ catchUpPolicy: "SKIP" }), at("2026-03-02T13:20:00Z"), [])).toEqual({ kind: "catch_up_skipped", missed: 4, next: at("2026-03-02T14:00:00Z") });
  });

  it("SKIP within the grace period still runs the slot (a late tick is not downtime)", () => {
    const now = new Date(at("2026-03-02T10:00:00Z").getTime() + CATCH_UP_GRACE_MS);
    expect(decide(schedule({ catchUpPolicy: "SKIP" }), now, [])).toMatchObject({ kind: "queue", slot: at("2026-03-02T10:00:00Z"), missed: 0 });
    const later = new Date(now.getTime() + 1);
    expect(decide(schedule({ catchUpPolicy: "SKIP" }), later, [])).toMatchObject({ kind: "catch_up_skipped", missed: 1 });
  });

  it("RUN_ONCE outside the catch-up window: the latest slot is too old to run", () => {
    const s = schedule({ cron: "0 6 * * *", nextRunAt: at("2026-03-02T06:00:00Z"), catchUpWindowMinutes: 60 });
    expect(decide(s, at("2026-03-02T07:00:00Z"), [])).toMatchObject({ kind: "queue", slot: at("2026-03-02T06:00:00Z") });
    expect(decide(s, at("2026-03-02T07:00:01Z"), [])).toEqual({ kind: "catch_up_skipped", missed: 1, next: at("2026-03-03T06:00:00Z") });
  });

  it("a window shorter than the grace period is the grace period", () => {
    const s = schedule({ catchUpWindowMinutes: 1 });
    expect(decide(s, at("2026-03-02T10:04:00Z"), [])).toMatchObject({ kind: "queue" });
  });

  it("overlap SKIP: a run of an earlier slot still active skips this slot, naming it", () => {
    expect(decide(schedule(), at("2026-03-02T10:00:20Z"), [running("2026-03-02T09:00:00Z")])).toEqual({
      kind: "overlap", slot: at("2026-03-02T10:00:00Z"), missed: 0, next: at("2026-03-02T11:00:00Z"), blockedBy: "run_old",
    });
  });

  it("overlap BUFFER_ONE: the slot waits for the active run", () => {
    expect(decide(schedule({ overlapPolicy: "BUFFER_ONE" }), at("2026-03-02T12:00:20Z"), [running("2026-03-02T09:00:00Z")])).toEqual({
      kind: "buffer", slot: at("2026-03-02T12:00:00Z"), missed: 2, next: at("2026-03-02T13:00:00Z"), blockedBy: "run_old",
    });
  });

  it("overlap ALLOW: an active run blocks nothing", () => {
    expect(decide(schedule({ overlapPolicy: "ALLOW" }), at("2026-03-02T10:00:20Z"), [running("2026-03-02T09:00:00Z")])).toMatchObject({ kind: "queue", missed: 0 });
  });

  it("the slot's own run (a repeated dispatch) does not block it", () => {
    for (const overlapPolicy of ["SKIP", "BUFFER_ONE"] as const)
      expect(decide(schedule({ overlapPolicy }), at("2026-03-02T10:00:20Z"), [running("2026-03-02T10:00:00Z", "run_same")])).toMatchObject({ kind: "queue" });
  });

  it("catch-up is decided before overlap: a skipped catch-up is not an overlap", () => {
    expect(decide(schedule({ catchUpPolicy: "SKIP" }), at("2026-03-02T13:20:00Z"), [running("2026-03-02T09:00:00Z")])).toMatchObject({ kind: "catch_up_skipped" });
  });

  it("uses the timing it is given (the dispatcher computes it once per cron, zone and next_run_at)", () => {
    const timing = { latest: at("2026-03-02T10:00:00Z"), count: 5, next: null };
    expect(decide(schedule(), at("2026-03-02T10:01:00Z"), [], timing)).toEqual({ kind: "queue", slot: timing.latest, missed: 4, next: null });
  });
});

// Fixed 2026 instants only: DST behaviour must not depend on when the suite runs.
import { CronPattern } from "croner";
import { describe, expect, it } from "vitest";
import {
  describeCron,
  formatInZone,
  frequencySchema,
  frequencyToCron,
  isFixedTime,
  isValidTimeZone,
  nextRunAfter,
  nextRuns,
  slotsBetween,
  validateCron,
} from "@/lib/schedules/time";

const NY = "America/New_York";
const LONDON = "Europe/London";
const LORD_HOWE = "Australia/Lord_Howe";
const KOLKATA = "Asia/Kolkata";
const at = (iso: string) => new Date(iso);
const iso = (dates: Date[]) => dates.map((d) => d.toISOString());
const gaps = (dates: Date[]) => dates.slice(1).map((d, i) => (d.getTime() - dates[i]!.getTime()) / 60_000);
const offsetAt = (d: Date, tz: string) => formatInZone(d, tz).slice(-6);

describe("2026 transitions (checked with Intl, not assumed)", () => {
  it.each([
    [NY, "2026-03-08T06:59:00Z", "-05:00", "2026-03-08T07:00:00Z", "-04:00"],
    [NY, "2026-11-01T05:59:00Z", "-04:00", "2026-11-01T06:00:00Z", "-05:00"],
    [LONDON, "2026-03-29T00:59:00Z", "+00:00", "2026-03-29T01:00:00Z", "+01:00"],
    [LONDON, "2026-10-25T00:59:00Z", "+01:00", "2026-10-25T01:00:00Z", "+00:00"],
    [LORD_HOWE, "2026-04-04T14:59:00Z", "+11:00", "2026-04-04T15:00:00Z", "+10:30"],
    [LORD_HOWE, "2026-10-03T15:29:00Z", "+10:30", "2026-10-03T15:30:00Z", "+11:00"],
  ])("%s changes offset at the expected instant", (tz, before, offBefore, after, offAfter) => {
    expect(offsetAt(at(before), tz)).toBe(offBefore);
    expect(offsetAt(at(after), tz)).toBe(offAfter);
  });
});

describe("fixed-time slot in a spring-forward gap runs once, right after the gap", () => {
  it("New York 02:30 on 8 Mar 2026 runs at 03:00 EDT", () => {
    const day = slotsBetween("30 2 * * *", NY, at("2026-03-08T05:00:00Z"), at("2026-03-09T04:00:00Z"));
    expect(iso(day)).toEqual(["2026-03-08T07:00:00.000Z"]);
    expect(formatInZone(day[0]!, NY)).toBe("2026-03-08T03:00:00-04:00");
    expect(nextRunAfter("30 2 * * *", NY, at("2026-03-08T07:00:00Z"))?.toISOString()).toBe("2026-03-09T06:30:00.000Z");
    const [first, second] = nextRuns("30 2 * * *", NY, at("2026-03-07T12:00:00Z"), 2);
    expect(first).toEqual({
      at: "2026-03-08T03:00:00-04:00",
      utc: "2026-03-08T07:00:00.000Z",
      local: "Sun 8 Mar 2026, 03:00 EDT",
      dst: { kind: "gap_shifted", note: "02:30 does not exist on 8 Mar 2026 (clocks go forward); runs at 03:00 EDT" },
    });
    expect(second).toMatchObject({ at: "2026-03-09T02:30:00-04:00", dst: null });
  });

  it("London 01:30 on 29 Mar 2026 runs at 02:00 BST", () => {
    const day = slotsBetween("30 1 * * *", LONDON, at("2026-03-29T00:00:00Z"), at("2026-03-29T23:00:00Z"));
    expect(iso(day)).toEqual(["2026-03-29T01:00:00.000Z"]);
    expect(nextRuns("30 1 * * *", LONDON, at("2026-03-28T12:00:00Z"), 1)[0]?.dst).toEqual({
      kind: "gap_shifted",
      note: "01:30 does not exist on 29 Mar 2026 (clocks go forward); runs at 02:00 BST",
    });
  });

  it("Lord Howe 02:15 on 4 Oct 2026 (30-minute gap) runs at 02:30 +11:00", () => {
    const day = slotsBetween("15 2 * * *", LORD_HOWE, at("2026-10-03T13:30:00Z"), at("2026-10-04T13:00:00Z"));
    expect(iso(day)).toEqual(["2026-10-03T15:30:00.000Z"]);
    const [run, next] = nextRuns("15 2 * * *", LORD_HOWE, at("2026-10-03T00:00:00Z"), 2);
    expect(run?.at).toBe("2026-10-04T02:30:00+11:00");
    expect(run?.dst?.kind).toBe("gap_shifted");
    expect(run?.dst?.note).toMatch(/^02:15 does not exist on 4 Oct 2026 \(clocks go forward\); runs at 02:30 /);
    expect(next?.at).toBe("2026-10-05T02:15:00+11:00");
  });
});

describe("ambiguous fixed-time slot runs once, at the first (earlier UTC) occurrence", () => {
  it("New York 01:30 on 1 Nov 2026", () => {
    const day = slotsBetween("30 1 * * *", NY, at("2026-11-01T04:00:00Z"), at("2026-11-02T05:00:00Z"));
    expect(iso(day)).toEqual(["2026-11-01T05:30:00.000Z"]);
    expect(formatInZone(day[0]!, NY)).toBe("2026-11-01T01:30:00-04:00");
    // Neither at the first run nor from inside the repeated hour does the second 01:30 come up.
    expect(nextRunAfter("30 1 * * *", NY, at("2026-11-01T05:30:00Z"))?.toISOString()).toBe("2026-11-02T06:30:00.000Z");
    expect(nextRunAfter("30 1 * * *", NY, at("2026-11-01T06:10:00Z"))?.toISOString()).toBe("2026-11-02T06:30:00.000Z");
    expect(nextRuns("30 1 * * *", NY, at("2026-10-31T12:00:00Z"), 1)[0]).toEqual({
      at: "2026-11-01T01:30:00-04:00",
      utc: "2026-11-01T05:30:00.000Z",
      local: "Sun 1 Nov 2026, 01:30 EDT",
      dst: { kind: "ambiguous_first", note: "01:30 happens twice on 1 Nov 2026; runs once, at the first (EDT)" },
    });
  });

  it("London 01:30 on 25 Oct 2026", () => {
    const day = slotsBetween("30 1 * * *", LONDON, at("2026-10-24T23:00:00Z"), at("2026-10-26T00:00:00Z"));
    expect(day.map((d) => formatInZone(d, LONDON))).toEqual(["2026-10-25T01:30:00+01:00"]);
    expect(nextRuns("30 1 * * *", LONDON, at("2026-10-24T12:00:00Z"), 1)[0]?.dst?.kind).toBe("ambiguous_first");
  });

  it("Lord Howe 01:45 on 5 Apr 2026 (30-minute repeat)", () => {
    const runs = slotsBetween("45 1 * * *", LORD_HOWE, at("2026-04-04T13:00:00Z"), at("2026-04-05T16:00:00Z"));
    expect(runs.map((d) => formatInZone(d, LORD_HOWE))).toEqual(["2026-04-05T01:45:00+11:00", "2026-04-06T01:45:00+10:30"]);
    expect(iso(runs)).toEqual(["2026-04-04T14:45:00.000Z", "2026-04-05T15:15:00.000Z"]);
    expect(nextRuns("45 1 * * *", LORD_HOWE, at("2026-04-04T00:00:00Z"), 1)[0]?.dst?.kind).toBe("ambiguous_first");
  });
});

describe("interval schedules follow real elapsed time", () => {
  // Windows are one local calendar day: (23:59 the day before, 23:59 that day].
  it.each([
    ["0 * * * *", NY, "2026-03-08T04:59:00Z", "2026-03-09T03:59:00Z", 23],
    ["0 * * * *", NY, "2026-11-01T03:59:00Z", "2026-11-02T04:59:00Z", 25],
    ["*/15 * * * *", NY, "2026-03-08T04:59:00Z", "2026-03-09T03:59:00Z", 92],
    ["*/15 * * * *", NY, "2026-11-01T03:59:00Z", "2026-11-02T04:59:00Z", 100],
    ["0 * * * *", LONDON, "2026-03-28T23:59:00Z", "2026-03-29T22:59:00Z", 23],
    ["0 * * * *", LONDON, "2026-10-24T22:59:00Z", "2026-10-25T23:59:00Z", 25],
    ["*/15 * * * *", LORD_HOWE, "2026-04-04T12:59:00Z", "2026-04-05T13:29:00Z", 98],
    ["*/15 * * * *", LORD_HOWE, "2026-10-03T13:29:00Z", "2026-10-04T12:59:00Z", 94],
    ["0 * * * *", KOLKATA, "2026-03-07T18:29:00Z", "2026-03-08T18:29:00Z", 24],
  ])("%s in %s: local day from %s has %i slots", (cron, tz, after, until, count) => {
    expect(slotsBetween(cron, tz, at(after), at(until))).toHaveLength(count);
  });

  it("New York hourly is exactly 60 real minutes apart through both transitions", () => {
    const spring = slotsBetween("0 * * * *", NY, at("2026-03-08T04:30:00Z"), at("2026-03-08T09:30:00Z"));
    expect(spring.map((d) => formatInZone(d, NY))).toEqual([
      "2026-03-08T00:00:00-05:00", "2026-03-08T01:00:00-05:00", "2026-03-08T03:00:00-04:00",
      "2026-03-08T04:00:00-04:00", "2026-03-08T05:00:00-04:00",
    ]);
    const fall = slotsBetween("0 * * * *", NY, at("2026-11-01T03:30:00Z"), at("2026-11-01T08:30:00Z"));
    expect(fall.map((d) => formatInZone(d, NY))).toEqual([
      "2026-11-01T00:00:00-04:00", "2026-11-01T01:00:00-04:00", "2026-11-01T01:00:00-05:00",
      "2026-11-01T02:00:00-05:00", "2026-11-01T03:00:00-05:00",
    ]);
    expect(new Set([...gaps(spring), ...gaps(fall)])).toEqual(new Set([60]));
    const quarter = slotsBetween("*/15 * * * *", NY, at("2026-11-01T03:59:00Z"), at("2026-11-02T04:59:00Z"));
    expect(new Set(gaps(quarter))).toEqual(new Set([15]));
  });

  it("Lord Howe hourly: the half-hour shift makes one 90-minute step, no slot lost or doubled wrongly", () => {
    const back = slotsBetween("0 * * * *", LORD_HOWE, at("2026-04-04T12:59:00Z"), at("2026-04-05T13:29:00Z"));
    expect(back).toHaveLength(24); // 01:30-02:00 repeats, but no whole hour falls inside it
    expect(back.slice(1, 4).map((d) => formatInZone(d, LORD_HOWE))).toEqual([
      "2026-04-05T01:00:00+11:00", "2026-04-05T02:00:00+10:30", "2026-04-05T03:00:00+10:30",
    ]);
    const fwd = slotsBetween("0 * * * *", LORD_HOWE, at("2026-10-03T13:29:00Z"), at("2026-10-04T12:59:00Z"));
    expect(fwd).toHaveLength(23); // 02:00 does not exist
    expect(fwd.slice(1, 3).map((d) => formatInZone(d, LORD_HOWE))).toEqual(["2026-10-04T01:00:00+10:30", "2026-10-04T03:00:00+11:00"]);
    expect(gaps(back).filter((g) => g !== 60)).toEqual([90]);
    expect(gaps(fwd).filter((g) => g !== 60)).toEqual([90]);
  });

  it("lists of fixed times (12h/6h frequencies) are fixed-time, as in Vixie cron: gap slot shifted, repeated slot once", () => {
    expect(isFixedTime("30 2,14 * * *")).toBe(true);
    expect(isFixedTime("0 * * * *")).toBe(false);
    expect(isFixedTime("*/15 9-17 * * *")).toBe(false);
    expect(iso(slotsBetween("30 2,14 * * *", NY, at("2026-03-08T05:00:00Z"), at("2026-03-09T04:00:00Z")))).toEqual([
      "2026-03-08T07:00:00.000Z",
      "2026-03-08T18:30:00.000Z",
    ]);
    expect(iso(slotsBetween("30 1,13 * * *", NY, at("2026-11-01T04:00:00Z"), at("2026-11-01T12:00:00Z")))).toEqual([
      "2026-11-01T05:30:00.000Z",
    ]);
  });
});

describe("slotsBetween for a 3-hour outage", () => {
  it.each([
    ["*/15 * * * *", LONDON, "2026-06-10T09:00:00Z", "2026-06-10T12:00:00Z", 12],
    ["*/15 * * * *", NY, "2026-11-01T04:30:00Z", "2026-11-01T07:30:00Z", 12], // spans fall-back: 3 real hours
    ["*/15 * * * *", NY, "2026-03-08T05:30:00Z", "2026-03-08T08:30:00Z", 12], // spans spring-forward
    ["0 * * * *", NY, "2026-03-08T05:30:00Z", "2026-03-08T08:30:00Z", 3],
    ["30 2 * * *", NY, "2026-03-08T06:00:00Z", "2026-03-08T09:00:00Z", 1], // the gap-shifted 03:00 run
    ["30 1 * * *", NY, "2026-11-01T05:00:00Z", "2026-11-01T08:00:00Z", 1], // once, not per 01:30
    ["0 6 * * *", NY, "2026-06-10T03:00:00Z", "2026-06-10T06:00:00Z", 0],
  ])("%s in %s over (%s, %s] misses %i", (cron, tz, after, until, count) => {
    expect(slotsBetween(cron, tz, at(after), at(until))).toHaveLength(count);
  });

  it("bounds are (exclusive, inclusive] and limit caps the result", () => {
    const slot = at("2026-06-10T10:00:00Z");
    expect(iso(slotsBetween("0 6 * * *", NY, at("2026-06-10T09:59:59.999Z"), slot))).toEqual([slot.toISOString()]);
    expect(slotsBetween("0 6 * * *", NY, slot, slot)).toEqual([]);
    expect(slotsBetween("* * * * *", NY, at("2026-06-10T00:00:00Z"), at("2026-06-11T00:00:00Z"), 7)).toHaveLength(7);
  });
});

describe("nextRunAfter is strictly after", () => {
  it("at exactly a slot instant returns the next slot", () => {
    expect(nextRunAfter("0 6 * * *", NY, at("2026-03-09T10:00:00Z"))?.toISOString()).toBe("2026-03-10T10:00:00.000Z");
    expect(nextRunAfter("0 6 * * *", NY, at("2026-03-09T09:59:59.999Z"))?.toISOString()).toBe("2026-03-09T10:00:00.000Z");
    expect(nextRunAfter("0 6 * * *", NY, at("2026-03-09T10:00:00.001Z"))?.toISOString()).toBe("2026-03-10T10:00:00.000Z");
    expect(nextRunAfter("*/15 * * * *", NY, at("2026-11-01T05:45:00Z"))?.toISOString()).toBe("2026-11-01T06:00:00.000Z");
  });

  it("agrees with slotsBetween when chained", () => {
    let cursor = at("2026-10-31T00:00:00Z");
    const chained: string[] = [];
    for (let i = 0; i < 60; i++) {
      const next = nextRunAfter("0 */2 * * *", NY, cursor);
      if (!next) break;
      chained.push(next.toISOString());
      cursor = next;
    }
    expect(iso(slotsBetween("0 */2 * * *", NY, at("2026-10-31T00:00:00Z"), cursor))).toEqual(chained);
  });

  it("throws on an unknown zone, a bad cron or an invalid Date", () => {
    expect(() => nextRunAfter("0 6 * * *", "Mars/Olympus", at("2026-01-01T00:00:00Z"))).toThrow(/time zone/);
    expect(() => nextRunAfter("hello", NY, at("2026-01-01T00:00:00Z"))).toThrow(/5 fields/);
    expect(() => nextRunAfter("0 6 * * *", NY, new Date(Number.NaN))).toThrow(/valid Date/);
  });
});

describe("nextRuns", () => {
  it("previews with zone offset, UTC and a human label; flags the first run after a transition", () => {
    const runs = nextRuns("0 6 * * *", NY, at("2026-03-07T12:00:00Z"), 3);
    expect(runs.map((r) => [r.at, r.utc, r.local])).toEqual([
      ["2026-03-08T06:00:00-04:00", "2026-03-08T10:00:00.000Z", "Sun 8 Mar 2026, 06:00 EDT"],
      ["2026-03-09T06:00:00-04:00", "2026-03-09T10:00:00.000Z", "Mon 9 Mar 2026, 06:00 EDT"],
      ["2026-03-10T06:00:00-04:00", "2026-03-10T10:00:00.000Z", "Tue 10 Mar 2026, 06:00 EDT"],
    ]);
    expect(runs[0]?.dst?.kind).toBe("offset_changed");
    expect(runs[0]?.dst?.note).toContain("forward");
    expect(runs.slice(1).map((r) => r.dst)).toEqual([null, null]);
    expect(nextRuns("0 6 * * *", NY, at("2026-06-01T00:00:00Z"), 0)).toEqual([]);
  });

  it("marks the second pass of a repeated hour for interval schedules as an offset change", () => {
    const runs = nextRuns("0 * * * *", NY, at("2026-11-01T04:30:00Z"), 3);
    expect(runs.map((r) => r.local)).toEqual(["Sun 1 Nov 2026, 01:00 EDT", "Sun 1 Nov 2026, 01:00 EST", "Sun 1 Nov 2026, 02:00 EST"]);
    expect(runs.map((r) => r.dst?.kind ?? null)).toEqual([null, "offset_changed", null]);
  });
});

describe("Kolkata (no DST, +05:30)", () => {
  it("has the same UTC offset all year and daily runs exactly 24h apart", () => {
    const firsts = Array.from({ length: 12 }, (_, m) => new Date(Date.UTC(2026, m, 1, 12)));
    expect(new Set(firsts.map((d) => offsetAt(d, KOLKATA)))).toEqual(new Set(["+05:30"]));
    const year = slotsBetween("0 9 * * *", KOLKATA, at("2025-12-31T18:30:00Z"), at("2026-12-31T18:30:00Z"));
    expect(year).toHaveLength(365);
    expect(new Set(gaps(year))).toEqual(new Set([24 * 60]));
    expect(year[0]?.toISOString()).toBe("2026-01-01T03:30:00.000Z");
    expect(nextRuns("0 9 * * *", KOLKATA, at("2026-03-08T00:00:00Z"), 1)[0]).toMatchObject({
      at: "2026-03-08T09:00:00+05:30",
      utc: "2026-03-08T03:30:00.000Z",
      dst: null,
    });
  });
});

describe("formatInZone", () => {
  it.each([
    ["2026-11-01T05:30:00Z", NY, "2026-11-01T01:30:00-04:00"],
    ["2026-11-01T06:30:00Z", NY, "2026-11-01T01:30:00-05:00"],
    ["2026-04-04T14:45:00Z", LORD_HOWE, "2026-04-05T01:45:00+11:00"],
    ["2026-04-04T15:15:00Z", LORD_HOWE, "2026-04-05T01:45:00+10:30"],
    ["2026-06-01T00:00:00Z", "Asia/Kathmandu", "2026-06-01T05:45:00+05:45"],
    ["2026-06-01T00:00:00Z", "UTC", "2026-06-01T00:00:00+00:00"],
    ["2026-12-31T23:59:59.250Z", "America/St_Johns", "2026-12-31T20:29:59.250-03:30"],
  ])("%s in %s -> %s", (input, tz, expected) => {
    expect(formatInZone(at(input), tz)).toBe(expected);
    expect(new Date(expected).getTime()).toBe(at(input).getTime()); // round-trips
  });
});

describe("validateCron", () => {
  it.each(["0 6 * * 1", "*/15 * * * *", "0 9 * * MON-FRI", "30 6,18 * * *", "0 0 29 2 *", "0 0 * * 7", "0  6 * * 1"])(
    "accepts %j",
    (expr) => expect(validateCron(expr)).toBeNull(),
  );
  it.each([
    ["* * * *", /Expected 5 fields/],
    ["61 * * * *", /minute value 61 is out of range/],
    ["0 0 * * * *", /seconds and years are not supported/],
    ["hello", /Expected 5 fields/],
    ["", /empty/],
    ["@daily", /Nicknames/],
    ["0 24 * * *", /hour value 24/],
    ["0 0 * * 1#2", /Unsupported syntax/],
    ["? * * * *", /Unsupported syntax/],
    ["0 0 L * *", /Unsupported syntax/],
    ["*/0 * * * *", /at least 1/],
    ["5/5 * * * *", /Invalid cron expression/],
    ["0 0 30 2 *", /never matches/],
    ["0 0 * FOO *", /Unknown name/],
  ])("rejects %j", (expr, message) => {
    expect(validateCron(expr)).toMatch(message);
  });
});

describe("isValidTimeZone", () => {
  // "EST" moved from rejected to accepted: it is a tz database name (since 2024b a link to America/Panama).
  it.each([NY, LONDON, LORD_HOWE, KOLKATA, "Asia/Kathmandu", "UTC", "Europe/Kyiv", "EST"])("accepts %s", (tz) =>
    expect(isValidTimeZone(tz)).toBe(true),
  );
  it.each(["Mars/Olympus", "", "+05:00", "america/new_york", "GMT+5"])("rejects %j", (tz) =>
    expect(isValidTimeZone(tz)).toBe(false),
  );
});

describe("frequencies", () => {
  it.each([
    [{ every: "12h", time: "06:30" }, "30 6,18 * * *"],
    [{ every: "12h", time: "18:30" }, "30 6,18 * * *"],
    [{ every: "6h", time: "01:15" }, "15 1,7,13,19 * * *"],
    [{ every: "6h", time: "20:00" }, "0 2,8,14,20 * * *"],
    [{ every: "weekly", time: "06:00", day_of_week: 1 }, "0 6 * * 1"],
    [{ every: "weekly", time: "23:59", day_of_week: 0 }, "59 23 * * 0"],
    [{ every: "daily", time: "00:00" }, "0 0 * * *"],
  ] as const)("%j -> %s", (f, cron) => {
    expect(frequencyToCron(f)).toBe(cron);
    expect(validateCron(cron)).toBeNull();
  });

  it("schema rejects malformed input", () => {
    expect(frequencySchema.safeParse({ every: "daily", time: "6:30" }).success).toBe(false);
    expect(frequencySchema.safeParse({ every: "daily", time: "24:00" }).success).toBe(false);
    expect(frequencySchema.safeParse({ every: "hourly", time: "06:00" }).success).toBe(false);
    expect(frequencySchema.safeParse({ every: "weekly", time: "06:00", day_of_week: 7 }).success).toBe(false);
    const missing = frequencySchema.safeParse({ every: "weekly", time: "06:00" });
    expect(missing.success).toBe(false);
    expect(missing.error?.issues[0]?.path).toEqual(["day_of_week"]);
    expect(() => frequencyToCron({ every: "weekly", time: "06:00" })).toThrow();
  });
});

describe("isFixedTime and describeCron", () => {
  it.each(["30 2 * * *", "0 6 * * 1", "0 * * * *", "*/15 * * * *", "30 6,18 * * *", "0 1-3 * * *", "0 */2 * * *"])(
    "%s agrees with croner's own fixed-time rule",
    (cron) => expect(isFixedTime(cron)).toBe(new CronPattern(cron, undefined, { mode: "5-part", fixedTimeRule: "no-wildcard" }).isFixedTime),
  );

  it("describes in 12-hour English", () => {
    expect(describeCron("0 6 * * 1")).toBe("At 06:00 AM, only on Monday");
    expect(describeCron("30 6,18 * * *")).toBe("At 06:30 AM and 06:30 PM");
    expect(describeCron("*/15 * * * *")).toBe("Every 15 minutes");
    expect(() => describeCron("hello")).toThrow(/5 fields/);
  });
});

// Issue #12: a tz database the project controls, Vixie day fields, exact zone names, DST notes for
// lists/ranges/steps. Fixed 2026 instants only.
import { describe, expect, it } from "vitest";
import { buildZoneNames } from "@/scripts/tz-names";
import { previewQuerySchema } from "@/lib/schedules/schemas";
import { describeCron, formatInZone, isValidTimeZone, nextRunAfter, nextRuns, slotsBetween, validateCron } from "@/lib/schedules/time";
import { canonicalZone, compareTzdbVersions, searchZones, suggestZone, TZ_NAMES_VERSION } from "@/lib/tz/names";
import shipped from "@/lib/tz/zone-names.json";
import { TZDB } from "@/lib/tz/zones";

const at = (iso: string) => new Date(iso);
const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

describe("the tz database in use", () => {
  it("is not older than the data the project ships (lib/tz/zone-names.json), and is not Node's ICU", () => {
    expect(compareTzdbVersions(TZDB.version, shipped.version)).toBeGreaterThanOrEqual(0);
    expect(compareTzdbVersions(TZDB.version, "2026f")).toBeGreaterThanOrEqual(0);
    expect(TZDB.source).toMatch(/^moment-timezone@\d+\.\d+\.\d+$/);
  });

  it("matches the committed name list (run `npm run tz:names` after updating the package)", () => {
    expect(buildZoneNames()).toEqual(shipped);
    expect(TZ_NAMES_VERSION).toBe(TZDB.version);
  });

  it("orders IANA release names", () => {
    expect(compareTzdbVersions("2025c", "2026a")).toBeLessThan(0);
    expect(compareTzdbVersions("2026f", "2026e")).toBeGreaterThan(0);
    expect(compareTzdbVersions("2026f", "2026f")).toBe(0);
    expect(compareTzdbVersions("2026z", "2026za")).toBeLessThan(0);
    expect(() => compareTzdbVersions("78.2", "2026a")).toThrow(/release name/);
  });
});

describe("current IANA rules (2026): a monthly 09:00 schedule from 2026-12-01", () => {
  // Node 20.20's ICU (tz 2025c) still has the old rules: each of these would be one hour off.
  it.each([
    ["America/Vancouver", "2026-12-01T16:00:00.000Z", "2026-12-01T09:00:00-07:00", "MST"], // permanent -07 since 1 Nov 2026
    ["America/Edmonton", "2026-12-01T15:00:00.000Z", "2026-12-01T09:00:00-06:00", "CST"],
    ["America/Winnipeg", "2026-12-01T14:00:00.000Z", "2026-12-01T09:00:00-05:00", "EST"],
    ["Africa/Casablanca", "2026-12-01T09:00:00.000Z", "2026-12-01T09:00:00+00:00", "UTC"], // permanent +00 since 20 Sep 2026
    ["America/Havana", "2026-12-01T13:00:00.000Z", "2026-12-01T09:00:00-04:00", "CDT"], // no fall-back on 1 Nov 2026
  ])("%s runs at %s", (tz, utc, local, abbr) => {
    const next = nextRunAfter("0 9 1 * *", tz, at("2026-12-01T00:00:00Z"));
    expect(next?.toISOString()).toBe(utc);
    expect(formatInZone(next!, tz)).toBe(local);
    expect(nextRuns("0 9 1 * *", tz, at("2026-12-01T00:00:00Z"), 1)[0]?.local).toBe(`Tue 1 Dec 2026, 09:00 ${abbr}`);
  });

  it("Vancouver keeps -07:00 through 1 Nov 2026 (PDT becomes MST): no fall-back, no note", () => {
    const runs = nextRuns("0 9 * * *", "America/Vancouver", at("2026-10-31T12:00:00Z"), 3);
    expect(runs.map((r) => [r.at, r.local, r.dst])).toEqual([
      ["2026-10-31T09:00:00-07:00", "Sat 31 Oct 2026, 09:00 PDT", null],
      ["2026-11-01T09:00:00-07:00", "Sun 1 Nov 2026, 09:00 MST", null],
      ["2026-11-02T09:00:00-07:00", "Mon 2 Nov 2026, 09:00 MST", null],
    ]);
  });
});

describe("Vixie day fields", () => {
  it("ANDs day-of-month and day-of-week when one starts with * (including */n)", () => {
    const runs = nextRuns("0 12 */2 * 1", "UTC", at("2026-01-31T12:00:00Z"), 5);
    expect(runs.map((r) => r.utc)).toEqual([
      "2026-02-09T12:00:00.000Z", "2026-02-23T12:00:00.000Z", "2026-03-09T12:00:00.000Z",
      "2026-03-23T12:00:00.000Z", "2026-04-13T12:00:00.000Z",
    ]);
    expect(iso(slotsBetween("0 0 * * 1", "UTC", at("2026-02-28T00:00:00Z"), at("2026-03-10T00:00:00Z")))).toEqual([
      "2026-03-02T00:00:00.000Z", "2026-03-09T00:00:00.000Z",
    ]);
    expect(nextRunAfter("0 0 29 2 *", "UTC", at("2026-01-01T00:00:00Z"))?.toISOString()).toBe("2028-02-29T00:00:00.000Z");
  });

  it("ORs them when neither starts with *", () => {
    const runs = slotsBetween("0 12 1,15 * 1", "UTC", at("2026-02-28T00:00:00Z"), at("2026-03-17T00:00:00Z"));
    expect(iso(runs)).toEqual([
      "2026-03-01T12:00:00.000Z", "2026-03-02T12:00:00.000Z", "2026-03-09T12:00:00.000Z",
      "2026-03-15T12:00:00.000Z", "2026-03-16T12:00:00.000Z",
    ]);
  });

  it("a day that can never match both is rejected", () => {
    expect(validateCron("0 0 31 4 *")).toMatch(/never matches/);
    expect(validateCron("0 0 */31 2 1")).toBeNull(); // 1 February on a Monday exists
  });

  it("says which rule applies in the description", () => {
    expect(describeCron("0 12 */2 * 1")).toBe("At 12:00 PM, every 2 days in a month, and on Monday (only on days matching both)");
    expect(describeCron("0 12 1 * 1")).toBe("At 12:00 PM, on day 1 of the month, and on Monday (on days matching either)");
    expect(describeCron("0 9 1 * *")).toBe("At 09:00 AM, on day 1 of the month");
  });
});

describe("zone names: exactly the database's", () => {
  it.each(["Etc/GMT+5", "Etc/GMT-14", "GMT", "UCT", "Zulu", "Universal", "Greenwich", "EST", "EST5EDT", "Asia/Calcutta", "US/Eastern", "Europe/Kiev"])(
    "accepts %s",
    (tz) => expect(isValidTimeZone(tz)).toBe(true),
  );
  it.each(["US/Pacific-New", "America/New_york", "AMERICA/NEW_YORK", "Asia/Calcuta", " UTC", "Etc/GMT+15", "GMT+5"])("rejects %j", (tz) =>
    expect(isValidTimeZone(tz)).toBe(false),
  );

  it("stores the canonical name of a link and keeps names several locations share", () => {
    expect(canonicalZone("Asia/Calcutta")).toBe("Asia/Kolkata");
    expect(canonicalZone("US/Eastern")).toBe("America/New_York");
    expect(canonicalZone("Europe/Kiev")).toBe("Europe/Kyiv");
    expect(canonicalZone("Zulu")).toBe("UTC");
    expect(canonicalZone("Greenwich")).toBe("Etc/GMT");
    expect(canonicalZone("Etc/GMT+5")).toBe("Etc/GMT+5");
    expect(canonicalZone("EST")).toBe("EST");
    expect(canonicalZone("America/New_york")).toBeNull();
  });

  it("the API schema rejects the wrong case with the right spelling, and stores links canonically", () => {
    const bad = previewQuerySchema.safeParse({ schedule: "0 6 * * 1", timezone: "America/New_york" });
    expect(bad.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["timezone", 'Unknown IANA time zone; did you mean "America/New_York"?'],
    ]);
    expect(previewQuerySchema.parse({ schedule: "0 6 * * 1", timezone: "Asia/Calcutta" }).timezone).toBe("Asia/Kolkata");
    expect(previewQuerySchema.parse({ schedule: "0 6 * * 1", timezone: "Etc/GMT+5" }).timezone).toBe("Etc/GMT+5");
    expect(suggestZone("us/pacific-new")).toBeNull();
  });

  it("a row saved before exact names (another case) keeps running under the database's spelling", () => {
    expect(nextRunAfter("0 6 * * *", "AMERICA/NEW_YORK", at("2026-06-10T00:00:00Z"))?.toISOString()).toBe("2026-06-10T10:00:00.000Z");
    expect(() => nextRunAfter("0 6 * * *", "US/Pacific-New", at("2026-06-10T00:00:00Z"))).toThrow(/Unknown time zone/);
  });

  it("Etc/GMT+5 is five hours behind UTC (POSIX sign), all year", () => {
    expect(nextRunAfter("0 9 * * *", "Etc/GMT+5", at("2026-07-01T00:00:00Z"))?.toISOString()).toBe("2026-07-01T14:00:00.000Z");
    expect(formatInZone(at("2026-01-01T00:00:00Z"), "Etc/GMT-14")).toBe("2026-01-01T14:00:00+14:00");
  });

  it("the picker's search finds zones by their links", () => {
    expect(searchZones("Calcutta").map((o) => o.name)).toEqual(["Asia/Kolkata"]);
    expect(searchZones("new york")[0]?.name).toBe("America/New_York");
    expect(searchZones("US/Eastern").map((o) => o.name)).toEqual(["America/New_York"]);
    expect(searchZones("kyiv").map((o) => o.name)).toContain("Europe/Kyiv");
    expect(searchZones("", 3)).toHaveLength(3);
  });
});

describe("preview DST notes for lists, ranges and steps", () => {
  it("a 12-hour list in UTC has no notes (was 'NaN:30 does not exist')", () => {
    const runs = nextRuns("30 2,14 * * *", "UTC", at("2026-03-07T00:00:00Z"), 4);
    expect(runs.map((r) => [r.local, r.dst])).toEqual([
      ["Sat 7 Mar 2026, 02:30 UTC", null], ["Sat 7 Mar 2026, 14:30 UTC", null],
      ["Sun 8 Mar 2026, 02:30 UTC", null], ["Sun 8 Mar 2026, 14:30 UTC", null],
    ]);
  });

  it("a 12-hour list in New York: only the 02:30 in the gap is noted, with its own time", () => {
    const runs = nextRuns("30 2,14 * * *", "America/New_York", at("2026-03-07T12:00:00Z"), 4);
    expect(runs.map((r) => [r.local, r.dst?.kind ?? null])).toEqual([
      ["Sat 7 Mar 2026, 14:30 EST", null],
      ["Sun 8 Mar 2026, 03:00 EDT", "gap_shifted"],
      ["Sun 8 Mar 2026, 14:30 EDT", null],
      ["Mon 9 Mar 2026, 02:30 EDT", null],
    ]);
    expect(runs[1]?.dst?.note).toBe("02:30 does not exist on 8 Mar 2026 (clocks go forward); runs at 03:00 EDT");
    const fall = nextRuns("30 1,13 * * *", "America/New_York", at("2026-10-31T12:00:00Z"), 3);
    expect(fall.map((r) => r.dst?.note ?? null)).toEqual([
      null, "01:30 happens twice on 1 Nov 2026; runs once, at the first (EDT)",
      "Clocks went back (EDT to EST); UTC offset is now -05:00",
    ]);
  });

  it("a range: the gap hour is noted and runs once with the hour after it", () => {
    const runs = nextRuns("0 1-3 * * *", "America/New_York", at("2026-03-08T05:00:00Z"), 3);
    expect(runs.map((r) => [r.at, r.dst?.note ?? null])).toEqual([
      ["2026-03-08T01:00:00-05:00", null],
      ["2026-03-08T03:00:00-04:00", "02:00 does not exist on 8 Mar 2026 (clocks go forward); runs at 03:00 EDT"],
      ["2026-03-09T01:00:00-04:00", null],
    ]);
  });

  it("Lord Howe minute list: 02:15 falls in the 30-minute gap, 02:45 does not", () => {
    const runs = nextRuns("15,45 2 * * *", "Australia/Lord_Howe", at("2026-10-03T12:00:00Z"), 2);
    expect(runs.map((r) => [r.at, r.dst?.kind ?? null])).toEqual([
      ["2026-10-04T02:30:00+11:00", "gap_shifted"],
      ["2026-10-04T02:45:00+11:00", null],
    ]);
    expect(runs[0]?.dst?.note).toBe("02:15 does not exist on 4 Oct 2026 (clocks go forward); runs at 02:30 UTC+11");
  });

  it("a step schedule is an interval: the gap is skipped and the offset change noted", () => {
    const runs = nextRuns("*/30 1-3 * * *", "America/New_York", at("2026-03-08T06:10:00Z"), 2);
    expect(runs.map((r) => [r.at, r.dst?.kind ?? null])).toEqual([
      ["2026-03-08T01:30:00-05:00", null],
      ["2026-03-08T03:00:00-04:00", "offset_changed"],
    ]);
  });
});

describe("hourly schedules on DST days (README)", () => {
  // Windows are one local calendar day: (23:59 the day before, 23:59 that day].
  it.each([
    ["America/New_York", "2026-03-08T04:59:00Z", "2026-03-09T03:59:00Z", 23],
    ["America/New_York", "2026-11-01T03:59:00Z", "2026-11-02T04:59:00Z", 25],
    ["Australia/Lord_Howe", "2026-10-03T13:29:00Z", "2026-10-04T12:59:00Z", 23], // 02:00 does not exist
    ["Australia/Lord_Howe", "2026-04-04T12:59:00Z", "2026-04-05T13:29:00Z", 24], // 01:30-02:00 repeats: no whole hour in it
    ["Antarctica/Troll", "2026-03-28T23:59:00Z", "2026-03-29T21:59:00Z", 22], // +00 -> +02
    ["Antarctica/Troll", "2026-10-24T21:59:00Z", "2026-10-25T23:59:00Z", 26],
  ])("0 * * * * in %s over the local day after %s runs %i times", (tz, after, until, count) => {
    expect(slotsBetween("0 * * * *", tz, at(after), at(until))).toHaveLength(count);
  });
});

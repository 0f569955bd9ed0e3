// Recurring quiet hours in the settings' time zone: inside or outside a window, a window past midnight
// (it belongs to the day it starts), and a window across a DST change (its end is wall-clock time).
import { describe, expect, test } from "vitest";
import { quietUntil } from "@/lib/alerts/quiet-hours";

const nights = { days: [5], start: "22:00", end: "07:00", time_zone: "Europe/Berlin" }; // Friday nights

describe("quietUntil", () => {
  test("outside any window: null", () => {
    expect(quietUntil(nights, new Date("2026-11-27T20:59:00Z"))).toBeNull(); // Fri 21:59 Berlin
    expect(quietUntil(nights, new Date("2026-11-28T06:00:00Z"))).toBeNull(); // Sat 07:00 Berlin: the window has ended
    expect(quietUntil(nights, new Date("2026-11-26T22:00:00Z"))).toBeNull(); // Thu 23:00 Berlin: not a quiet day
    expect(quietUntil(null, new Date("2026-11-27T22:00:00Z"))).toBeNull();
  });

  test("inside the window, before and after midnight: its end, Saturday 07:00 Berlin", () => {
    const end = new Date("2026-11-28T06:00:00Z");
    expect(quietUntil(nights, new Date("2026-11-27T21:00:00Z"))).toEqual(end); // Fri 22:00 Berlin, the boundary
    expect(quietUntil(nights, new Date("2026-11-28T01:30:00Z"))).toEqual(end); // Sat 02:30 Berlin, started yesterday
    expect(quietUntil(nights, new Date("2026-11-28T05:59:00Z"))).toEqual(end);
  });

  test("a window across the spring-forward night ends at 07:00 wall clock (UTC+2 by then)", () => {
    // Berlin moves from UTC+1 to UTC+2 at 02:00 on Sunday 2027-03-28: a Saturday-night window spans it.
    const satNights = { ...nights, days: [6] };
    expect(quietUntil(satNights, new Date("2027-03-27T22:00:00Z"))).toEqual(new Date("2027-03-28T05:00:00Z")); // Sat 23:00 CET -> Sun 07:00 CEST
  });

  test("a window across the fall-back night ends at 07:00 wall clock (UTC+1 by then), also inside the repeated hour", () => {
    // Berlin moves from UTC+2 to UTC+1 at 03:00 on Sunday 2026-10-25: 02:00-03:00 happens twice.
    const satNights = { ...nights, days: [6] };
    const end = new Date("2026-10-25T06:00:00Z"); // Sun 07:00 CET
    expect(quietUntil(satNights, new Date("2026-10-24T21:00:00Z"))).toEqual(end); // Sat 23:00 CEST
    expect(quietUntil(satNights, new Date("2026-10-25T00:30:00Z"))).toEqual(end); // 02:30 CEST, the first time
    expect(quietUntil(satNights, new Date("2026-10-25T01:30:00Z"))).toEqual(end); // 02:30 CET, the second time
    expect(quietUntil(satNights, new Date("2026-10-25T06:00:00Z"))).toBeNull();
  });

  test("a time zone other than UTC decides the day: Friday 23:30 in New York is Saturday in UTC", () => {
    const ny = { days: [5], start: "23:00", end: "23:59", time_zone: "America/New_York" };
    expect(quietUntil(ny, new Date("2026-11-28T04:30:00Z"))).toEqual(new Date("2026-11-28T04:59:00Z"));
  });
});

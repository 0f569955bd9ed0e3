// The plan's minimum interval reads a cron's shortest gap from its fields, so crons whose days are rare
// (Feb 29, the 31st of a 30-day month) are measured too, not only what the next year's slots show.
import { describe, expect, it } from "vitest";
import { shortestIntervalMinutes } from "@/lib/schedules/time";

const FROM = new Date("2026-12-01T09:00:00Z"); // the next Feb 29 (2028) is more than 400 days away
const UTC = "UTC";
const NY = "America/New_York";

describe("shortestIntervalMinutes", () => {
  it("measures a cron that only runs on Feb 29", () => {
    expect(shortestIntervalMinutes("*/5 * 29 2 *", UTC, FROM)).toBe(5);
    expect(shortestIntervalMinutes("* 3 29 2 *", NY, FROM)).toBe(1);
    expect(shortestIntervalMinutes("0,10 12 29 2 *", UTC, FROM)).toBe(10);
  });

  it("counts the gap over midnight only when consecutive days can both match", () => {
    // 23:59 then 00:00 the next day, every day: one minute apart.
    expect(shortestIntervalMinutes("0,59 0,23 * * *", UTC, FROM)).toBe(1);
    // Only on Feb 29: the next day (Mar 1) never runs, so the gap is inside the day.
    expect(shortestIntervalMinutes("0,59 0,23 29 2 *", UTC, FROM)).toBe(59);
  });

  it("keeps common crons as they were", () => {
    expect(shortestIntervalMinutes("*/15 * * * *", NY, FROM)).toBe(15);
    expect(shortestIntervalMinutes("0 9 * * 1", UTC, FROM)).toBe(7 * 1440);
    expect(shortestIntervalMinutes("0 9,17 * * *", UTC, FROM)).toBe(8 * 60);
    expect(shortestIntervalMinutes("0 12 29 2 *", UTC, FROM)).toBeNull();
  });

  it("still sees what DST does to a gap (a day of 23 hours in New York)", () => {
    expect(shortestIntervalMinutes("59 1 * * *", NY, FROM)).toBe(1440 - 60);
  });

  it("finds a spring-forward gap whatever the date it starts from (review 17 #1)", () => {
    // 2027-03-14 in New York: 01:50 EST, then 03:00 EDT ten minutes later.
    const cron = "0,50 1,3 * * *";
    expect(shortestIntervalMinutes(cron, NY, FROM)).toBe(10);
    expect(shortestIntervalMinutes(cron, NY, new Date("2026-04-01T09:00:00Z"))).toBe(10);
    expect(shortestIntervalMinutes(cron, NY, new Date("2026-08-15T00:00:00Z"))).toBe(10);
    expect(shortestIntervalMinutes(cron, UTC, new Date("2026-04-01T09:00:00Z"))).toBe(50);
  });
});

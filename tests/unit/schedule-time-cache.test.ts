// lib/schedules/time-cache.ts: the cached cron description and next runs equal the uncached ones at every
// instant, including across a run's own instant, a DST change and the minute the entries live.
import { describe, expect, it } from "vitest";
import { describeCronCached, nextRunsCached } from "@/lib/schedules/time-cache";
import { describeCron, nextRuns } from "@/lib/schedules/time";

const at = (iso: string) => new Date(iso);

describe("schedule time cache", () => {
  it("describes a cron as describeCron does", () => {
    for (const cron of ["0 6 * * 1", "*/15 * * * *", "0 6 * * 1"]) expect(describeCronCached(cron)).toBe(describeCron(cron));
  });

  it("gives the same next runs as nextRuns, reusing them only until the first one passes", () => {
    const cron = "*/20 * * * *";
    const instants = ["2026-03-08T06:00:00Z", "2026-03-08T06:05:00Z", "2026-03-08T06:19:59.999Z", "2026-03-08T06:20:00Z", "2026-03-08T06:20:00.001Z", "2026-03-08T06:41:00Z"];
    for (const iso of instants) expect(nextRunsCached(cron, "America/New_York", at(iso), 5), iso).toEqual(nextRuns(cron, "America/New_York", at(iso), 5));
    const a = nextRunsCached(cron, "UTC", at("2026-03-08T06:00:30Z"), 5);
    expect(nextRunsCached(cron, "UTC", at("2026-03-08T06:00:50Z"), 5)).toBe(a); // same runs: reused
    expect(nextRunsCached(cron, "UTC", at("2026-03-08T06:20:00Z"), 5)).not.toBe(a); // the first one is due: recomputed
  });

  it("a yearly run's note follows the offset at the asking instant across a DST change inside the minute", () => {
    const before = at("2026-03-08T06:59:30Z"); // New York: EST until 07:00Z, then EDT
    const after = at("2026-03-08T07:00:10Z");
    expect(nextRunsCached("0 6 1 1 *", "America/New_York", before, 1)).toEqual(nextRuns("0 6 1 1 *", "America/New_York", before, 1));
    expect(nextRunsCached("0 6 1 1 *", "America/New_York", after, 1)).toEqual(nextRuns("0 6 1 1 *", "America/New_York", after, 1));
    expect(nextRuns("0 6 1 1 *", "America/New_York", after, 1)[0]!.dst?.kind).toBe("offset_changed");
  });

  it("keeps zones, counts and DST notes apart, and recomputes after a minute", () => {
    const from = at("2026-03-08T06:30:00Z"); // New York springs forward at 07:00Z
    expect(nextRunsCached("30 2 * * *", "America/New_York", from, 3)).toEqual(nextRuns("30 2 * * *", "America/New_York", from, 3));
    expect(nextRunsCached("30 2 * * *", "Europe/Berlin", from, 3)).toEqual(nextRuns("30 2 * * *", "Europe/Berlin", from, 3));
    expect(nextRunsCached("30 2 * * *", "Europe/Berlin", from, 2)).toHaveLength(2);
    const weekly = nextRunsCached("0 6 * * 1", "UTC", from, 5);
    expect(nextRunsCached("0 6 * * 1", "UTC", new Date(from.getTime() + 59_000), 5)).toBe(weekly);
    expect(nextRunsCached("0 6 * * 1", "UTC", new Date(from.getTime() + 60_000), 5)).not.toBe(weekly);
  });
});

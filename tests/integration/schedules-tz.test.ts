import { beforeAll, describe, expect, it } from "vitest";
import { api } from "../support/api";
import { resetDb } from "../support/db";
import { A, connectionIdFor, expectNothingWritten, validBody } from "../support/schedules";

// Issue #12 over HTTP: the tz database release on /api/health, exact zone names stored canonically,
// Vixie day fields and DST notes in the preview.

const base = "/api/scheduled-reviews";
let connA: string;

beforeAll(async () => {
  await resetDb();
  connA = await connectionIdFor(A);
});

const preview = (schedule: string, timezone: string, count = 5) =>
  api("GET", `${base}/preview?${new URLSearchParams({ schedule, timezone, count: String(count) })}`, A);

describe("GET /api/health", () => {
  it("names the tz database release and where it comes from", async () => {
    const res = await api("GET", "/api/health", null);
    expect(res.status).toBe(200);
    expect(res.body.tz_database).toEqual({ version: expect.stringMatching(/^20\d\d[a-z]+$/), source: expect.stringMatching(/^moment-timezone@/) });
    expect(res.body.tz_database.version >= "2026f").toBe(true);
  });
});

describe("zone names", () => {
  it("stores a backward link as its canonical zone", async () => {
    const res = await api("POST", base, A, validBody(connA, { timezone: "Asia/Calcutta", delivery_channels: [] }));
    expect(res.status).toBe(201);
    expect(res.body.timezone).toBe("Asia/Kolkata");
    const moved = await api("PATCH", `${base}/${res.body.id}`, A, { timezone: "US/Eastern" });
    expect(moved.body.timezone).toBe("America/New_York");
  });

  it("accepts Etc/GMT+5 (five hours behind UTC)", async () => {
    const res = await api("POST", base, A, validBody(connA, { timezone: "Etc/GMT+5", schedule: "0 9 * * *", delivery_channels: [] }));
    expect(res.status).toBe(201);
    expect(res.body.timezone).toBe("Etc/GMT+5");
    expect(res.body.next_runs[0].at).toMatch(/T09:00:00-05:00$/);
  });

  it.each([
    ["America/New_york", 'Unknown IANA time zone; did you mean "America/New_York"?'],
    ["AMERICA/NEW_YORK", 'Unknown IANA time zone; did you mean "America/New_York"?'],
    ["US/Pacific-New", "Unknown IANA time zone"],
  ])("rejects %s with 400 and writes nothing", async (timezone, message) => {
    await expectNothingWritten(A.userId, async () => {
      const res = await api("POST", base, A, validBody(connA, { timezone, delivery_channels: [] }));
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: "validation_error", details: [{ path: "timezone", message }] });
    });
  });
});

describe("preview", () => {
  it("Casablanca follows the current IANA rules (+00 since 20 Sep 2026)", async () => {
    const res = await preview("0 9 1 * *", "Africa/Casablanca", 1);
    expect(res.status).toBe(200);
    expect(res.body.next_runs[0].at).toMatch(/T09:00:00\+00:00$/);
  });

  it("Vixie day fields: */2 with a weekday is both, and the description says so", async () => {
    const res = await preview("0 12 */2 * 1", "UTC", 20);
    expect(res.body.schedule_description).toBe("At 12:00 PM, every 2 days in a month, and on Monday (only on days matching both)");
    for (const run of res.body.next_runs) {
      const d = new Date(run.utc);
      expect([d.getUTCDay(), d.getUTCDate() % 2]).toEqual([1, 1]);
    }
  });

  it("a 12-hour list in UTC carries no DST notes", async () => {
    const res = await preview("30 2,14 * * *", "UTC");
    expect(res.body.next_runs.map((r: { dst: unknown }) => r.dst)).toEqual([null, null, null, null, null]);
  });
});

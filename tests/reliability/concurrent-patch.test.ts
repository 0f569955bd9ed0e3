// Concurrent PATCHes of one schedule: edits of different fields all land (merged field by field);
// edits of the same field are each re-read and re-checked, the last write wins, nothing is lost or mixed.
import { beforeEach, describe, expect, test } from "vitest";
import { api } from "@/tests/support/api";
import { resetDb } from "@/tests/support/db";
import { A, connectionIdFor, createScheduleAs } from "@/tests/support/schedules";

beforeEach(resetDb);

describe("concurrent PATCH of one schedule", () => {
  test("eight PATCHes of different fields at once: all 200, and the schedule holds every change", async () => {
    const schedule = await createScheduleAs(A, await connectionIdFor(A));
    const changes: Record<string, unknown>[] = [
      { name: "Renamed" },
      { description: "Now with a description" },
      { timezone: "Europe/Berlin" },
      { email_recipients: ["revops@example.com", "cro@example.com"] },
      { catch_up_policy: "skip" },
      { rules: { stale: { enabled: true, severity: "HIGH", threshold: 21 } } },
      { schedule: "30 7 * * 2" },
      { is_active: false },
    ];
    for (let round = 0; round < 3; round++) {
      const answers = await Promise.all(changes.map((c) => api("PATCH", `/api/scheduled-reviews/${schedule.id}`, A, c)));
      expect(answers.map((a) => a.status), JSON.stringify(answers.filter((a) => a.status !== 200).map((a) => a.body))).toEqual(changes.map(() => 200));
    }
    const { body } = await api("GET", `/api/scheduled-reviews/${schedule.id}`, A);
    expect(body).toMatchObject({
      name: "Renamed",
      description: "Now with a description",
      timezone: "Europe/Berlin",
      email_recipients: ["revops@example.com", "cro@example.com"],
      catch_up_policy: "skip",
      schedule: "30 7 * * 2",
      is_active: false,
      next_run_at: null,
    });
    expect(body.rules).toMatchObject({ stale: { threshold: 21 } });
    expect(body.slack_webhook_url).toMatch(/^https:\/\/hooks\.slack\.com\//); // untouched by any of them
  });

  test("PATCHes of the same field race: each is re-read and retried (409 only if it keeps losing), one value wins", async () => {
    const schedule = await createScheduleAs(A, await connectionIdFor(A));
    const names = Array.from({ length: 6 }, (_, i) => `Name ${i}`);
    const answers = await Promise.all(names.map((name) => api("PATCH", `/api/scheduled-reviews/${schedule.id}`, A, { name })));
    for (const a of answers) expect([200, 409]).toContain(a.status);
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThan(0);
    const { body } = await api("GET", `/api/scheduled-reviews/${schedule.id}`, A);
    expect(names).toContain(body.name);
  });
});

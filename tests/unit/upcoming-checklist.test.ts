import { describe, expect, it } from "vitest";
import type { RunDto } from "@/lib/runs/schemas";
import { successChecklist, type ExecutorFacts } from "@/lib/schedules/checklist";
import type { ScheduleDto } from "@/lib/schedules/schemas";
import { upcomingOf } from "@/lib/schedules/upcoming";

// Upcoming runs (the merge across schedules, DST marks) and the schedule page's success checklist.

const NY = (id: string, cron: string, name = id) => ({ id, name, cron, timezone: "America/New_York" });

describe("upcomingOf", () => {
  // 2026-03-05 12:00 UTC: New York springs forward on Sunday 8 March (02:00 -> 03:00).
  const now = new Date("2026-03-05T12:00:00Z");

  it("merges every schedule's runs in the window, soonest first, each with its schedule", () => {
    const out = upcomingOf([NY("daily", "0 6 * * *", "Daily"), NY("mon", "0 9 * * 1", "Monday")], { days: 7, limit: 100 }, now);
    expect(out.from).toBe(now.toISOString());
    expect(out.until).toBe("2026-03-12T12:00:00.000Z");
    expect(out.truncated).toBe(false);
    expect(out.data.map((r) => `${r.schedule_name} ${r.at}`)).toEqual([
      "Daily 2026-03-06T06:00:00-05:00",
      "Daily 2026-03-07T06:00:00-05:00",
      "Daily 2026-03-08T06:00:00-04:00",
      "Daily 2026-03-09T06:00:00-04:00",
      "Monday 2026-03-09T09:00:00-04:00",
      "Daily 2026-03-10T06:00:00-04:00",
      "Daily 2026-03-11T06:00:00-04:00",
      "Daily 2026-03-12T06:00:00-04:00",
    ]);
    expect(out.data[0]).toMatchObject({ schedule_id: "daily", schedule: "0 6 * * *", timezone: "America/New_York", local: "Fri 6 Mar 2026, 06:00 EST" });
  });

  it("marks the runs DST moves: 02:30 in the spring-forward gap, and the first run after the offset changed", () => {
    const out = upcomingOf([NY("night", "30 2 * * *")], { days: 7, limit: 100 }, now);
    const sunday = out.data.find((r) => r.utc.startsWith("2026-03-08"))!;
    expect(sunday.dst).toEqual({ kind: "gap_shifted", note: "02:30 does not exist on 8 Mar 2026 (clocks go forward); runs at 03:00 EDT" });
    expect(out.data.filter((r) => r.dst).map((r) => r.dst!.kind)).toEqual(["gap_shifted"]);
    const daily = upcomingOf([NY("daily", "0 6 * * *")], { days: 7, limit: 100 }, now);
    expect(daily.data.filter((r) => r.dst).map((r) => [r.local, r.dst!.kind])).toEqual([["Sun 8 Mar 2026, 06:00 EDT", "offset_changed"]]);
  });

  it("cuts at the limit and says so; a schedule the engine cannot read is skipped, not fatal", () => {
    const out = upcomingOf([NY("bad", "not a cron"), NY("minutely", "* * * * *")], { days: 7, limit: 3 }, now);
    expect(out.data).toHaveLength(3);
    expect(out.truncated).toBe(true);
    expect(out.data.every((r) => r.schedule_id === "minutely")).toBe(true);
  });
});

const schedule = (over: Partial<ScheduleDto> = {}): ScheduleDto => ({
  id: "s1", name: "Weekly pipeline", description: null, crm_connection_id: "c1", crm_connection: { id: "c1", name: "Demo CRM", provider: "demo" },
  schedule: "0 6 * * 1", schedule_description: "At 06:00 AM, only on Monday", timezone: "UTC", delivery_channels: ["email"],
  email_recipients: ["ops@example.com"], slack_webhook_url: null, is_active: true, catch_up_policy: "run_once", rules: {}, auto_pause_after_failures: null, pause: null, catch_up_window_minutes: 1440, overlap_policy: "skip", missed_slots: 0,
  scan_scope: { pipeline_ids: [], stage_ids: [], owner_ids: [], min_amount: null },
  last_run_at: null, next_run_at: "2026-03-09T06:00:00.000Z", next_runs: [], last_run: null, created_at: "", updated_at: "", ...over,
});
const run = (over: Partial<RunDto> = {}): RunDto => ({
  id: "r1", schedule_id: "s1", schedule_name: "Weekly pipeline", status: "completed", trigger: "manual", scheduled_for: "", queued_at: "",
  started_at: null, completed_at: null, duration_ms: 900, deals_analyzed: 120, health_score: 71, issues_found: 30, high_risk_deals: 4,
  analysis_id: "a1", error_code: null, error_message: null, retry_count: 0, missed_slots: 0, inngest_run_id: null, dashboard_url: null,
  deliveries: [{ id: "d1", channel: "email", target: "@example.com", status: "sent", provider_message_id: "m1", attempts: 1, error_code: null, error_message: null, sent_at: "" }],
  ...over,
});
const local: ExecutorFacts = { reachable: true, kind: "local-executor", dashboardUrl: "http://localhost:3000/dev/executor", url: "http://127.0.0.1:8288" };
const now = new Date("2026-03-05T12:00:00Z");
const states = (items: ReturnType<typeof successChecklist>) => Object.fromEntries(items.map((i) => [i.key, i.state]));

describe("successChecklist", () => {
  it("all green after a completed run that emailed: each item links to where to look", () => {
    const items = successChecklist(schedule(), run(), local, { outbox: true, now });
    expect(states(items)).toEqual({ executor: "ok", last_run: "ok", email: "ok", metrics: "ok", next_run: "ok" });
    expect(items.map((i) => i.link.href)).toEqual(["/dev/executor", "/runs/r1", "/dev/outbox", "/analysis/a1", "/schedule"]);
    expect(items.find((i) => i.key === "executor")!.detail).toBe("The local executor is reachable");
    expect(items.find((i) => i.key === "metrics")!.detail).toBe("120 deals analysed, health score 71");
    expect(items.find((i) => i.key === "next_run")!.detail).toBe("Next run Mon 9 Mar 2026, 06:00 UTC");
  });

  it("in cloud mode the executor is not probed, and the item says so", () => {
    const cloud = successChecklist(schedule(), run(), { reachable: true, kind: "inngest-cloud", dashboardUrl: "https://app.inngest.com", url: null }, { outbox: false, now })[0]!;
    expect(cloud).toMatchObject({ state: "ok", detail: "Inngest Cloud (not probed from here; a completed run confirms it)", link: { href: "https://app.inngest.com" } });
  });

  it("names each problem and links to its fix", () => {
    const failed = run({ status: "failed", error_message: "CRM token expired", deals_analyzed: null, health_score: null, analysis_id: null, deliveries: [] });
    const items = successChecklist(schedule({ next_run_at: "2026-03-01T06:00:00.000Z" }), failed, { ...local, reachable: false }, { outbox: false, now });
    expect(states(items)).toEqual({ executor: "problem", last_run: "problem", email: "problem", metrics: "problem", next_run: "problem" });
    expect(items.find((i) => i.key === "last_run")).toMatchObject({ detail: "The latest run failed: CRM token expired", link: { href: "/runs/r1" } });
    expect(items.find((i) => i.key === "next_run")!.detail).toMatch(/in the past/);
  });

  it("a new schedule waits for its first run; email off and paused are off, with where to turn them on", () => {
    const items = successChecklist(schedule({ delivery_channels: [], is_active: false, next_run_at: null }), null, local, { outbox: true, now });
    expect(states(items)).toEqual({ executor: "ok", last_run: "pending", email: "off", metrics: "pending", next_run: "off" });
    expect(items.find((i) => i.key === "email")!.link.href).toBe("#schedule-email");
    expect(items.find((i) => i.key === "next_run")!.link.href).toBe("#schedule-is-active");
    expect(items.find((i) => i.key === "metrics")!.link.href).toBe("/schedule/s1/history");
  });

  it("a run in progress is pending, and a bounced email is a problem", () => {
    expect(states(successChecklist(schedule(), run({ status: "running", deliveries: [] }), local, { outbox: true, now }))).toMatchObject({ last_run: "pending", email: "pending", metrics: "pending" });
    const bounced = run({ deliveries: [{ ...run().deliveries[0]!, status: "failed", error_message: "mailbox full" }] });
    expect(successChecklist(schedule(), bounced, local, { outbox: true, now }).find((i) => i.key === "email")).toMatchObject({ state: "problem", detail: "Email failed: mailbox full" });
  });
});

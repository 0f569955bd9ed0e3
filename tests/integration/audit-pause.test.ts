// The audit trail, pause with a note and a timed resume, auto-pause and plan limits (issue #17), over HTTP
// and, for the crons' work, through the lib functions their steps call.
import { beforeAll, describe, expect, it } from "vitest";
import { systemDb } from "@/lib/db";
import { failRun } from "@/lib/runs/lifecycle";
import { autoPauseIfFailing } from "@/lib/schedules/auto-pause";
import { resumeDueSchedules } from "@/lib/schedules/resume";
import { api } from "../support/api";
import { resetDb } from "../support/db";
import { connectionIdFor, createScheduleAs, expectNothingWritten, validBody } from "../support/schedules";

const ORG = "org_audit";
const ADMIN = { userId: "user_audit_admin", orgId: ORG, orgRole: "admin" } as const;
const MEMBER = { userId: "user_audit_member", orgId: ORG, orgRole: "member" } as const;
let conn: string;

beforeAll(async () => {
  await resetDb();
  conn = await connectionIdFor(ADMIN);
});

async function allAudit(who: typeof ADMIN | typeof MEMBER, query = "") {
  const events: { id: string; action: string; actor_id: string; summary: string; created_at: string; schedule_id: string | null }[] = [];
  let cursor: string | null = null;
  do {
    const res = await api("GET", `/api/audit?limit=2${query}${cursor ? `&cursor=${cursor}` : ""}`, who);
    expect(res.status).toBe(200);
    events.push(...res.body.data);
    cursor = res.body.next_cursor;
  } while (cursor);
  return events;
}

describe("audit trail", () => {
  it("records who created, changed, paused, resumed, ran, replayed and deleted what, paged newest first", async () => {
    const s = await createScheduleAs(ADMIN, conn, { name: "Audited", delivery_channels: [], email_recipients: [], slack_webhook_url: null });
    expect((await api("PATCH", `/api/scheduled-reviews/${s.id}`, ADMIN, { name: "Audited 2" })).status).toBe(200);
    const resumeAt = new Date(Date.now() + 3_600_000).toISOString();
    const paused = await api("PATCH", `/api/scheduled-reviews/${s.id}`, ADMIN, { is_active: false, pause_note: "CRM migration", resume_at: resumeAt });
    expect(paused.status).toBe(200);
    expect(paused.body.pause).toEqual({ note: "CRM migration", paused_by: ADMIN.userId, paused_at: expect.any(String), resume_at: new Date(resumeAt).toISOString() });
    expect((await api("PATCH", `/api/scheduled-reviews/${s.id}`, ADMIN, { is_active: true })).body.pause).toBeNull();
    const ran = await api("POST", `/api/scheduled-reviews/${s.id}/run-now`, MEMBER);
    expect(ran.status).toBe(202);
    const failed = await systemDb().reviewRun.create({
      data: { ownerId: ORG, scheduledReviewId: s.id, trigger: "SCHEDULED", status: "FAILED", scheduledFor: new Date(Date.now() - 3_600_000), completedAt: new Date() },
    });
    expect((await api("POST", `/api/runs/${failed.id}/replay`, MEMBER)).status).toBe(202);
    expect((await api("PATCH", "/api/workspace", ADMIN, { run_retention_days: 90 })).status).toBe(200);

    const forSchedule = await allAudit(MEMBER, `&schedule_id=${s.id}`);
    expect(forSchedule.map((e) => [e.action, e.actor_id])).toEqual([
      ["run.replayed", MEMBER.userId],
      ["run.run_now", MEMBER.userId],
      ["schedule.resumed", ADMIN.userId],
      ["schedule.paused", ADMIN.userId],
      ["schedule.updated", ADMIN.userId],
      ["schedule.created", ADMIN.userId],
    ]);
    expect(forSchedule.find((e) => e.action === "schedule.paused")!.summary).toContain("CRM migration");

    expect((await api("DELETE", `/api/scheduled-reviews/${s.id}`, ADMIN)).status).toBe(204);
    const all = await allAudit(ADMIN);
    expect(all.map((e) => e.action).slice(0, 2)).toEqual(["schedule.deleted", "workspace.settings_updated"]);
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length); // paging repeats nothing
    expect(all).toHaveLength(9); // with the Demo CRM connection made in beforeAll (crm.connected)
    // The trail of a deleted schedule stays; another workspace sees none of it.
    expect((await api("GET", "/api/audit", { userId: "user_audit_other" })).body.data).toEqual([]);
    expect((await api("GET", "/api/audit?cursor=bad!", ADMIN)).body.error.code).toBe("invalid_cursor");
  });

  it("a refused change writes no audit row", async () => {
    const before = await systemDb().auditEvent.count({ where: { ownerId: ORG } });
    expect((await api("POST", "/api/scheduled-reviews", MEMBER, validBody(conn))).status).toBe(403);
    expect((await api("POST", "/api/scheduled-reviews", ADMIN, validBody(conn, { schedule: "nope" }))).status).toBe(400);
    expect(await systemDb().auditEvent.count({ where: { ownerId: ORG } })).toBe(before);
  });
});

describe("pause with a note and a timed resume", () => {
  it("refuses a pause note on an active schedule and a resume time in the past, writing nothing", async () => {
    const s = await createScheduleAs(ADMIN, conn, { name: "Pausable" });
    await expectNothingWritten(ORG, async () => {
      const note = await api("PATCH", `/api/scheduled-reviews/${s.id}`, ADMIN, { pause_note: "why" });
      expect(note.status).toBe(400);
      expect(note.body.error.details[0].path).toBe("pause_note");
      const past = await api("PATCH", `/api/scheduled-reviews/${s.id}`, ADMIN, { is_active: false, resume_at: new Date(Date.now() - 60_000).toISOString() });
      expect(past.status).toBe(400);
      expect(past.body.error.details[0].path).toBe("resume_at");
    });
  });

  it("the resume cron re-activates a paused schedule at resume_at, once, as system", async () => {
    const s = await createScheduleAs(ADMIN, conn, { name: "Timed pause" });
    const resumeAt = new Date(Date.now() + 2_000);
    const res = await api("PATCH", `/api/scheduled-reviews/${s.id}`, ADMIN, { is_active: false, pause_note: "Quarter close", resume_at: resumeAt.toISOString() });
    expect(res.body).toMatchObject({ is_active: false, next_run_at: null, pause: { note: "Quarter close", paused_by: ADMIN.userId } });
    const list = await api("GET", "/api/scheduled-reviews", MEMBER);
    expect(list.body.data.find((x: { id: string }) => x.id === s.id).pause.note).toBe("Quarter close");

    expect(await resumeDueSchedules(new Date(resumeAt.getTime() - 1_000))).toEqual({ resumed: 0 }); // not yet
    const at = new Date(resumeAt.getTime() + 1_000);
    const copies = await Promise.all([resumeDueSchedules(at), resumeDueSchedules(at)]); // duplicate cron steps
    expect(copies.reduce((n, c) => n + c.resumed, 0)).toBe(1);
    const after = await api("GET", `/api/scheduled-reviews/${s.id}`, MEMBER);
    expect(after.body).toMatchObject({ is_active: true, pause: null });
    expect(new Date(after.body.next_run_at).getTime()).toBeGreaterThan(at.getTime());
    const events = await systemDb().auditEvent.findMany({ where: { scheduledReviewId: s.id, action: "schedule.resumed" } });
    expect(events.map((e) => e.actorId)).toEqual(["system"]);
  });

  it("auto-pauses after N consecutive failures (off by default), with the reason", async () => {
    const off = await createScheduleAs(ADMIN, conn, { name: "No auto-pause" });
    const on = await createScheduleAs(ADMIN, conn, { name: "Auto-pause", auto_pause_after_failures: 2 });
    expect(on.auto_pause_after_failures).toBe(2);
    const fail = async (scheduleId: string, minutesAgo: number) => {
      const run = await systemDb().reviewRun.create({
        data: { ownerId: ORG, scheduledReviewId: scheduleId, trigger: "SCHEDULED", status: "RUNNING", scheduledFor: new Date(Date.now() - minutesAgo * 60_000) },
      });
      const failed = await failRun({ runId: run.id, errorCode: "crm_error", errorMessage: "CRM down", now: new Date(Date.now() - minutesAgo * 60_000 + 1_000) });
      await autoPauseIfFailing(failed!.scheduleId); // the auto-pause step that review/run.failed triggers
    };
    for (const s of [off, on]) await fail(s.id, 30);
    expect((await api("GET", `/api/scheduled-reviews/${on.id}`, ADMIN)).body.is_active).toBe(true); // one failure is not two
    for (const s of [off, on]) await fail(s.id, 20);
    const paused = (await api("GET", `/api/scheduled-reviews/${on.id}`, ADMIN)).body;
    expect(paused).toMatchObject({ is_active: false, pause: { note: "Auto-paused after 2 consecutive failed runs", paused_by: "system" } });
    expect((await api("GET", `/api/scheduled-reviews/${off.id}`, ADMIN)).body.is_active).toBe(true);
    expect(await systemDb().auditEvent.count({ where: { scheduledReviewId: on.id, action: "schedule.auto_paused", actorId: "system" } })).toBe(1);
  });
});

describe("plan limits", () => {
  it("free has no schedules, team at most 20 and every 15 minutes, business every minute; the limits are in the error and GET /api/workspace", async () => {
    const team = { userId: "user_limits_team" } as const;
    const c = await connectionIdFor(team);
    const free = await api("POST", "/api/scheduled-reviews", { userId: "user_limits_team", plan: "free" }, validBody(c));
    expect(free.status).toBe(402);
    expect(free.body.error).toMatchObject({ code: "plan_required", details: { plan: "free", limit: 0 } });

    const often = await api("POST", "/api/scheduled-reviews", team, validBody(c, { schedule: "*/5 * * * *" }));
    expect(often.status).toBe(402);
    expect(often.body.error).toMatchObject({ code: "plan_limit", details: { limit: "min_interval_minutes", min_interval_minutes: 15, current: 5 } });
    await createScheduleAs({ ...team, plan: "business" }, c, { schedule: "* * * * *" });
    await createScheduleAs(team, c, { schedule: "*/15 * * * *" });
    const s = await createScheduleAs(team, c);
    const patch = await api("PATCH", `/api/scheduled-reviews/${s.id}`, team, { schedule: "0,10 * * * *" });
    expect(patch.body.error).toMatchObject({ code: "plan_limit", details: { min_interval_minutes: 15, current: 10 } });
    // A zone change alone is checked too: 01:50 EST then 03:00 EDT is 10 minutes on spring-forward day (review 17 #1).
    const utc = await createScheduleAs(team, c, { schedule: "0,50 1,3 * * *", timezone: "UTC" });
    const zone = await api("PATCH", `/api/scheduled-reviews/${utc.id}`, team, { timezone: "America/New_York" });
    expect(zone.status).toBe(402);
    expect(zone.body.error).toMatchObject({ code: "plan_limit", details: { min_interval_minutes: 15, current: 10 } });

    await systemDb().scheduledReview.createMany({
      data: Array.from({ length: 16 }, (_, i) => ({ ownerId: team.userId, name: `Filler ${i}`, crmConnectionId: c, cron: "0 6 * * 1", timezone: "UTC", isActive: false })),
    });
    const full = await api("POST", "/api/scheduled-reviews", team, validBody(c));
    expect(full.status).toBe(402);
    expect(full.body.error).toMatchObject({ code: "plan_limit", details: { limit: "max_schedules", max_schedules: 20, current: 20 } });
    expect(full.body.error.message).toContain("20 schedules");
    expect((await api("POST", "/api/scheduled-reviews", { ...team, plan: "business" }, validBody(c))).status).toBe(201);

    const ws = await api("GET", "/api/workspace", team);
    expect(ws.body).toMatchObject({ plan: "team", limits: { max_schedules: 20, min_interval_minutes: 15, max_run_retention_days: 180 }, usage: { schedules: 21 }, run_retention_days: 180 });
    const tooLong = await api("PATCH", "/api/workspace", team, { run_retention_days: 365 });
    expect(tooLong.body.error).toMatchObject({ code: "plan_limit", details: { max_run_retention_days: 180 } });
    expect((await api("PATCH", "/api/workspace", { ...team, plan: "business" }, { run_retention_days: 365 })).body.run_retention_days).toBe(365);
  });

  it("two concurrent creates cannot both take the last free place", async () => {
    const who = { userId: "user_limits_race" } as const;
    const c = await connectionIdFor(who);
    await systemDb().scheduledReview.createMany({
      data: Array.from({ length: 19 }, (_, i) => ({ ownerId: who.userId, name: `Filler ${i}`, crmConnectionId: c, cron: "0 6 * * 1", timezone: "UTC", isActive: false })),
    });
    const results = await Promise.all([1, 2, 3].map(() => api("POST", "/api/scheduled-reviews", who, validBody(c))));
    expect(results.map((r) => r.status).sort()).toEqual([201, 402, 402]);
    expect(await systemDb().scheduledReview.count({ where: { ownerId: who.userId } })).toBe(20);
  });
});

// Issue #17 review gaps: the plan caps retention in the daily prune even when none was set (the plan
// recorded only when known and changed), PATCH
// resume_at null on an active schedule, the audit trail of another tenant's schedule, and audit rows
// for CRM connections, alert settings and monitors.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { log } from "@/lib/log";
import { systemDb } from "@/lib/db";
import { pruneHistory } from "@/lib/retention/prune";
import { notePlanSeen } from "@/lib/workspace/plan-seen";
import { api } from "../support/api";
import { resetDb } from "../support/db";
import { connectionIdFor, createScheduleAs } from "../support/schedules";

const DAY = 86_400_000;
const ADMIN = { userId: "user_gaps_admin", orgId: "org_gaps", orgRole: "admin" } as const;
const OTHER = { userId: "user_gaps_other", orgId: "org_gaps_other", orgRole: "admin" } as const;
let conn: string;
beforeAll(async () => void (await resetDb(), (conn = await connectionIdFor(ADMIN))));

describe("retention capped by the plan last seen", () => {
  it("prunes a free workspace that never set a retention at 30 days, and stores the plan only when it changes", async () => {
    const team = { userId: "user_gaps_downgraded" } as const; // a personal workspace, team plan first
    const c = await connectionIdFor(team);
    const s = await createScheduleAs(team, c, { name: "Downgraded" });
    const now = new Date();
    const run = (daysAgo: number) =>
      systemDb().reviewRun.create({
        data: { ownerId: team.userId, scheduledReviewId: s.id, trigger: "SCHEDULED", status: "COMPLETED", scheduledFor: new Date(now.getTime() - daysAgo * DAY), durationMs: 1_000 },
      });
    const [old, recent] = [await run(60), await run(10)];
    expect((await systemDb().workspaceSettings.findUnique({ where: { ownerId: team.userId } }))?.plan).toBe("team");

    const free = await api("GET", "/api/workspace", { ...team, plan: "free" });
    expect(free.body).toMatchObject({ plan: "free", run_retention_days: 30, limits: { max_run_retention_days: 30 } });
    const stored = await systemDb().workspaceSettings.findUniqueOrThrow({ where: { ownerId: team.userId } });
    expect(stored).toMatchObject({ plan: "free", runRetentionDays: null });
    await api("GET", "/api/workspace", { ...team, plan: "free" });
    expect((await systemDb().workspaceSettings.findUniqueOrThrow({ where: { ownerId: team.userId } })).updatedAt).toEqual(stored.updatedAt);

    await pruneHistory(now);
    const left = await systemDb().reviewRun.findMany({ where: { scheduledReviewId: s.id }, select: { id: true } });
    expect(left.map((r) => r.id)).toEqual([recent.id]);
    expect(left.map((r) => r.id)).not.toContain(old.id);
    expect(await systemDb().runDailyAggregate.count({ where: { scheduledReviewId: s.id } })).toBe(1); // its day is kept
  });

  it("the statement itself writes only a changed plan, past the instance's memory (review 17 #5)", async () => {
    const owner = "org_gaps_plan_sql";
    const t0 = Date.now();
    await notePlanSeen(owner, "team", t0);
    const stored = await systemDb().workspaceSettings.findUniqueOrThrow({ where: { ownerId: owner } });
    await notePlanSeen(owner, "team", t0 + 11 * 60_000); // the in-memory shortcut has expired
    expect((await systemDb().workspaceSettings.findUniqueOrThrow({ where: { ownerId: owner } })).updatedAt).toEqual(stored.updatedAt);
    await notePlanSeen(owner, "business", t0 + 12 * 60_000);
    expect((await systemDb().workspaceSettings.findUniqueOrThrow({ where: { ownerId: owner } })).plan).toBe("business");
  });

  it("concurrent first sightings of a workspace store its plan without an error (one row)", async () => {
    const warn = vi.spyOn(log, "warn");
    try {
      await Promise.all(Array.from({ length: 8 }, () => notePlanSeen("org_gaps_plan_race", "team")));
      expect(warn).not.toHaveBeenCalled(); // failed before: the second insert hit the primary key, not ON CONFLICT's ownerId
    } finally {
      warn.mockRestore();
    }
    expect(await systemDb().workspaceSettings.findMany({ where: { ownerId: "org_gaps_plan_race" }, select: { plan: true } })).toEqual([{ plan: "team" }]);
  });

  it("a token without a plan, or with an unknown one, does not demote the stored plan (review 17 #4)", async () => {
    const owner = { userId: "user_gaps_no_plan" } as const;
    expect((await api("GET", "/api/workspace", { ...owner, plan: "business" })).status).toBe(200);
    for (const plan of [undefined, "platinum"]) {
      const res = await api("GET", "/api/workspace", { ...owner, claims: { plan } });
      expect(res.body).toMatchObject({ plan: "free" }); // this request reads as free
    }
    expect((await systemDb().workspaceSettings.findUniqueOrThrow({ where: { ownerId: owner.userId } })).plan).toBe("business");
  });
});

describe("daily history with durations", () => {
  it("GET /api/monitoring/daily returns the stored duration percentiles of pruned days and live ones of kept days", async () => {
    const owner = { userId: "user_gaps_daily" } as const; // team plan: 180 days
    const c = await connectionIdFor(owner);
    const [a, b] = [await createScheduleAs(owner, c, { name: "Daily A" }), await createScheduleAs(owner, c, { name: "Daily B" })];
    const now = new Date();
    const old = new Date(Math.floor(now.getTime() / DAY) * DAY - 200 * DAY + 3_600_000);
    const today = new Date(Math.floor(now.getTime() / DAY) * DAY + 60_000);
    const runs = (scheduleId: string, at: Date, durations: number[]) =>
      systemDb().reviewRun.createMany({
        data: durations.map((durationMs, i) => ({
          ownerId: owner.userId, scheduledReviewId: scheduleId, trigger: "SCHEDULED" as const, status: "COMPLETED" as const,
          scheduledFor: new Date(at.getTime() + i * 60_000), durationMs, healthScore: 80,
        })),
      });
    await runs(a.id, old, [100, 200, 300, 400, 1_000]);
    await runs(b.id, old, [2_000, 4_000]);
    await runs(a.id, today, [50, 150]);
    await pruneHistory(now);
    expect(await systemDb().reviewRun.count({ where: { ownerId: owner.userId } })).toBe(2); // the old day is only an aggregate now

    const oneSchedule = await api("GET", `/api/monitoring/daily?days=365&schedule_id=${a.id}`, owner);
    expect(oneSchedule.status).toBe(200);
    expect(oneSchedule.body.days).toEqual([
      { day: old.toISOString().slice(0, 10), total: 5, completed: 5, failed: 0, skipped: 0, mean_health_score: 80, source: "aggregate",
        mean_duration_ms: 400, duration_p50_ms: 300, duration_p95_ms: 880, duration_max_ms: 1_000, duration_exact: true },
      { day: today.toISOString().slice(0, 10), total: 2, completed: 2, failed: 0, skipped: 0, mean_health_score: 80, source: "runs",
        mean_duration_ms: 100, duration_p50_ms: 100, duration_p95_ms: 145, duration_max_ms: 150, duration_exact: true },
    ]);
    // The workspace: the old day joins both schedules' stored percentiles, weighted by their runs.
    const all = await api("GET", "/api/monitoring/daily?days=365", owner);
    expect(all.body.days[0]).toMatchObject({
      total: 7, mean_duration_ms: Math.round(8_000 / 7), duration_p50_ms: Math.round((300 * 5 + 3_000 * 2) / 7), duration_max_ms: 4_000, duration_exact: false,
    });
  });
});

describe("pause fields on an active schedule", () => {
  it("PATCH { resume_at: null } (or pause_note: null) on an active schedule is accepted and changes nothing", async () => {
    const s = await createScheduleAs(ADMIN, conn, { name: "Active, resume null" });
    const row = () => systemDb().scheduledReview.findUniqueOrThrow({ where: { id: s.id }, select: { updatedAt: true } });
    const audits = () => systemDb().auditEvent.count({ where: { scheduledReviewId: s.id } });
    const [before, auditsBefore] = [await row(), await audits()];
    const res = await api("PATCH", `/api/scheduled-reviews/${s.id}`, ADMIN, { resume_at: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ is_active: true, pause: null, next_run_at: s.next_run_at });
    expect((await api("PATCH", `/api/scheduled-reviews/${s.id}`, ADMIN, { pause_note: null, resume_at: null })).status).toBe(200);
    // Nothing was written: no update, no audit row (review 17 #6).
    expect(await row()).toEqual(before);
    expect(await audits()).toBe(auditsBefore);
    const renamed = await api("PATCH", `/api/scheduled-reviews/${s.id}`, ADMIN, { name: "Renamed", resume_at: null });
    expect(renamed.body).toMatchObject({ name: "Renamed" });
    const last = await systemDb().auditEvent.findFirstOrThrow({ where: { scheduledReviewId: s.id }, orderBy: { createdAt: "desc" } });
    expect(last.summary).toBe('Changed name of "Renamed"');
    const note = await api("PATCH", `/api/scheduled-reviews/${s.id}`, ADMIN, { resume_at: new Date(Date.now() + DAY).toISOString() });
    expect(note.status).toBe(400); // a real resume time still needs is_active false
  });
});

describe("audit of one schedule", () => {
  it("another tenant's schedule id answers 404; a deleted schedule of the workspace keeps its trail", async () => {
    const s = await createScheduleAs(ADMIN, conn, { name: "Audit 404" });
    expect((await api("GET", `/api/audit?schedule_id=${s.id}`, ADMIN)).status).toBe(200);
    const other = await api("GET", `/api/audit?schedule_id=${s.id}`, OTHER);
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe("not_found");
    expect((await api("GET", "/api/audit?schedule_id=sr_does_not_exist", ADMIN)).status).toBe(404);
    expect((await api("DELETE", `/api/scheduled-reviews/${s.id}`, ADMIN)).status).toBe(204);
    const trail = await api("GET", `/api/audit?schedule_id=${s.id}`, ADMIN);
    expect(trail.status).toBe(200);
    expect(trail.body.data.map((e: { action: string }) => e.action)).toEqual(["schedule.deleted", "schedule.created"]);
  });
});

describe("audit rows beyond schedules", () => {
  const ORG_ADMIN = { userId: "user_gaps_ops", orgId: "org_gaps_ops", orgRole: "admin" } as const;
  const MEMBER = { userId: "user_gaps_ops_member", orgId: "org_gaps_ops", orgRole: "member" } as const;
  const trail = async () => {
    const res = await api("GET", "/api/audit?limit=100", MEMBER);
    expect(res.status).toBe(200);
    return (res.body.data as { action: string; actor_id: string; target_id: string; summary: string }[]).reverse(); // oldest first
  };

  it("CRM connect, rename and delete; alert settings and secret rotation; monitor create, update and delete", async () => {
    const demo = await api("POST", "/api/crm-connections/demo", ORG_ADMIN);
    expect(demo.status).toBe(201);
    const connId: string = demo.body.id;
    expect((await api("PATCH", `/api/crm-connections/${connId}`, ORG_ADMIN, { name: "Sandbox CRM" })).status).toBe(200);
    expect((await api("DELETE", `/api/crm-connections/${connId}`, ORG_ADMIN)).status).toBe(204);

    const settings = { enabled: true, rules: {}, recovery_successes: 2, renotify_minutes: 60, cooldown_minutes: 30, flapping_per_day: 5, email_recipients: ["ops@example.com"] };
    expect((await api("PUT", "/api/alerts/settings", ORG_ADMIN, settings)).status).toBe(200);
    expect((await api("PUT", "/api/alerts/settings", ORG_ADMIN, { ...settings, rotate_webhook_secret: true })).status).toBe(200);

    const monitor = await api("POST", "/api/monitors", ORG_ADMIN, { name: "Nightly export", period_seconds: 3600, grace_seconds: 600 });
    expect(monitor.status).toBe(201);
    expect((await api("PATCH", `/api/monitors/${monitor.body.id}`, ORG_ADMIN, { is_active: false })).status).toBe(200);
    expect((await api("DELETE", `/api/monitors/${monitor.body.id}`, ORG_ADMIN)).status).toBe(204);

    const events = await trail();
    expect(events.map((e) => e.action)).toEqual([
      "crm.connected", "crm.renamed", "crm.deleted",
      "alerts.settings_updated", "alerts.settings_updated", "alerts.webhook_secret_rotated",
      "monitor.created", "monitor.updated", "monitor.deleted",
    ]);
    expect(new Set(events.map((e) => e.actor_id))).toEqual(new Set([ORG_ADMIN.userId]));
    expect(events[1]!.summary).toContain("Sandbox CRM");
    // The settings rows list what changed against the stored settings, not every key sent (review 17 #9).
    expect(events[3]!.summary).not.toContain("enabled"); // alerts were already enabled (the default)
    expect(events[3]!.summary).toContain("email_recipients");
    expect(events[4]!.summary).toBe("Changed the alert settings (nothing)"); // the same body again, only the secret rotated
    expect(events.filter((e) => e.action.startsWith("monitor.")).map((e) => e.target_id)).toEqual(Array(3).fill(monitor.body.id));
    expect(JSON.stringify(events)).not.toContain(monitor.body.ingest_token); // no secret in the trail
  });

  it("a refused change writes no audit row (member 403, bad input 400, unknown id 404)", async () => {
    const before = (await trail()).length;
    expect((await api("POST", "/api/monitors", MEMBER, { name: "Nope", period_seconds: 3600, grace_seconds: 600 })).status).toBe(403);
    expect((await api("POST", "/api/monitors", ORG_ADMIN, { name: "", period_seconds: 3600 })).status).toBe(400);
    expect((await api("PATCH", "/api/crm-connections/conn_missing", ORG_ADMIN, { name: "X" })).status).toBe(404);
    expect((await api("DELETE", "/api/monitors/mon_missing", ORG_ADMIN)).status).toBe(404);
    expect((await trail()).length).toBe(before);
  });
});

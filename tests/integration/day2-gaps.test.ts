// Issue #17 review gaps: the plan caps retention in the daily prune even when none was set, PATCH
// resume_at null on an active schedule, the audit trail of another tenant's schedule, and audit rows
// for CRM connections, alert settings and monitors.
import { beforeAll, describe, expect, it } from "vitest";
import { systemDb } from "@/lib/db";
import { pruneHistory } from "@/lib/retention/prune";
import { api } from "../support/api";
import { resetDb } from "../support/db";
import { connectionIdFor, createScheduleAs } from "../support/schedules";

const DAY = 86_400_000;
const ADMIN = { userId: "user_gaps_admin", orgId: "org_gaps", orgRole: "admin" } as const;
const OTHER = { userId: "user_gaps_other", orgId: "org_gaps_other", orgRole: "admin" } as const;
let conn: string;

beforeAll(async () => {
  await resetDb();
  conn = await connectionIdFor(ADMIN);
});

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
});

describe("pause fields on an active schedule", () => {
  it("PATCH { resume_at: null } (or pause_note: null) on an active schedule is accepted and changes nothing", async () => {
    const s = await createScheduleAs(ADMIN, conn, { name: "Active, resume null" });
    const res = await api("PATCH", `/api/scheduled-reviews/${s.id}`, ADMIN, { resume_at: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ is_active: true, pause: null, next_run_at: s.next_run_at });
    expect((await api("PATCH", `/api/scheduled-reviews/${s.id}`, ADMIN, { pause_note: null, resume_at: null })).status).toBe(200);
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

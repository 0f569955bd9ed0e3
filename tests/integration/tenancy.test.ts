// forTenant against real Postgres: two tenants with a row in every tenant-owned table; each sees,
// changes and deletes only its own, child rows (findings) only through its own analyses.
import { beforeAll, describe, expect, it } from "vitest";
import { forTenant, systemDb } from "@/lib/db";
import { resetDb } from "../support/db";

type Seeded = { scheduleId: string; runId: string; analysisId: string; deliveryId: string; connectionId: string };

async function seed(ownerId: string): Promise<Seeded> {
  const db = systemDb();
  const connection = await db.crmConnection.create({ data: { ownerId, provider: "DEMO", name: "CRM", instanceUrl: "demo://?seed=1" } });
  const schedule = await db.scheduledReview.create({
    data: { ownerId, name: `${ownerId} review`, crmConnectionId: connection.id, cron: "0 9 * * 1", timezone: "UTC", deliveryChannels: ["EMAIL"] },
  });
  const analysis = await db.analysis.create({
    data: { ownerId, scheduledReviewId: schedule.id, dealsAnalyzed: 1, healthScore: 90, issuesFound: 1, highRiskDeals: 0 },
  });
  await db.finding.create({ data: { analysisId: analysis.id, dealId: "d1", dealName: "Deal", rule: "stale_deal", severity: "LOW", message: "m" } });
  const run = await db.reviewRun.create({
    data: { ownerId, scheduledReviewId: schedule.id, trigger: "MANUAL", scheduledFor: new Date(), analysisId: analysis.id },
  });
  const delivery = await db.delivery.create({ data: { ownerId, runId: run.id, channel: "EMAIL", target: "x", idempotencyKey: `${run.id}:k` } });
  await db.alertSettings.create({ data: { ownerId, emailRecipients: [] } });
  const monitor = await db.monitor.create({ data: { ownerId, name: "job", ingestTokenHash: `h-${ownerId}`, ingestTokenMasked: "m" } });
  await db.executionLog.create({ data: { ownerId, monitorId: monitor.id, status: "SUCCESS" } });
  const alert = await db.alert.create({ data: { ownerId, kind: "TEST", severity: "INFO", dedupKey: "k", openKey: "k", title: "t", message: "m" } });
  await db.alertNotification.create({ data: { ownerId, alertId: alert.id, kind: "OPEN", channel: "EMAIL", target: "x", idempotencyKey: `${alert.id}:open:email` } });
  await db.auditEvent.create({ data: { ownerId, actorId: "user_x", action: "schedule.created", targetType: "schedule", targetId: schedule.id, scheduledReviewId: schedule.id, summary: "s" } });
  await db.workspaceSettings.create({ data: { ownerId, runRetentionDays: 90 } });
  await db.runDailyAggregate.create({
    data: { ownerId, scheduledReviewId: schedule.id, day: new Date("2026-01-01"), total: 1, completed: 1, failed: 0, skipped: 0, other: 0, healthScoreSum: 90, healthScoreCount: 1, durationMsSum: 10, durationCount: 1 },
  });
  return { scheduleId: schedule.id, runId: run.id, analysisId: analysis.id, deliveryId: delivery.id, connectionId: connection.id };
}

let a: Seeded;
let b: Seeded;
beforeAll(async () => {
  await resetDb();
  a = await seed("org_a");
  b = await seed("org_b");
});

describe("forTenant on Postgres", () => {
  it("reads only the tenant's rows in every tenant-owned table", async () => {
    const db = forTenant("org_a");
    const counts = await Promise.all([
      db.crmConnection.count(), db.scheduledReview.count(), db.reviewRun.count(), db.analysis.count(), db.delivery.count(),
      db.alertSettings.count(), db.alert.count(), db.alertNotification.count(), db.monitor.count(), db.executionLog.count(), db.finding.count(),
      db.auditEvent.count(), db.workspaceSettings.count(), db.runDailyAggregate.count(),
    ]);
    expect(counts).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect((await db.scheduledReview.findMany()).map((s) => s.ownerId)).toEqual(["org_a"]);
  });

  it("answers another tenant's id as missing, even by unique key", async () => {
    const db = forTenant("org_a");
    expect(await db.scheduledReview.findUnique({ where: { id: b.scheduleId } })).toBeNull();
    expect(await db.reviewRun.findFirst({ where: { id: b.runId } })).toBeNull();
    expect(await db.finding.findMany({ where: { analysisId: b.analysisId } })).toEqual([]);
    expect(await db.scheduledReview.findUnique({ where: { id: a.scheduleId } })).toMatchObject({ ownerId: "org_a" });
  });

  it("changes and deletes nothing of another tenant", async () => {
    const db = forTenant("org_a");
    expect((await db.reviewRun.updateMany({ where: { id: b.runId }, data: { errorCode: "x" } })).count).toBe(0);
    await expect(db.scheduledReview.update({ where: { id: b.scheduleId }, data: { name: "taken" } })).rejects.toThrow();
    expect((await db.delivery.deleteMany({})).count).toBe(1); // its own only
    expect(await systemDb().delivery.findUnique({ where: { id: b.deliveryId } })).not.toBeNull();
    expect(await systemDb().scheduledReview.findUniqueOrThrow({ where: { id: b.scheduleId } })).toMatchObject({ name: "org_b review" });
  });

  it("creates rows for the tenant and refuses another owner's, and system tables", async () => {
    const db = forTenant("org_a");
    const created = await db.crmConnection.create({ data: { ownerId: "org_a", provider: "DEMO", name: "second" } });
    expect(created.ownerId).toBe("org_a");
    await expect(db.crmConnection.create({ data: { ownerId: "org_b", provider: "DEMO", name: "sneaky" } })).rejects.toThrow(/another owner/);
    await expect(db.schedulerTick.findMany()).rejects.toThrow(/not a tenant model/);
    expect(await systemDb().crmConnection.count({ where: { name: "sneaky" } })).toBe(0);
  });

  it("scopes interactive transactions too", async () => {
    const names = await forTenant("org_b").$transaction((tx) => tx.scheduledReview.findMany({ select: { name: true } }));
    expect(names).toEqual([{ name: "org_b review" }]);
  });
});

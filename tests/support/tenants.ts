import { systemDb } from "@/lib/db";

// A tenant with one of everything the API can address by id: CRM connection, schedule, run, analysis
// (with a finding), a delivery and an open alert (its title names the schedule, so a leak shows). Written directly, so any plan can own them.

export type SeededTenant = { ownerId: string; connectionId: string; scheduleId: string; runId: string; analysisId: string; alertId: string; monitorId: string; scheduleName: string };

export async function seedTenant(ownerId: string, scheduleName = `Pipeline of ${ownerId}`): Promise<SeededTenant> {
  const db = systemDb();
  const connection = await db.crmConnection.create({ data: { ownerId, provider: "DEMO", name: "Demo CRM", instanceUrl: "demo://?seed=42&size=120", status: "ACTIVE" } });
  const schedule = await db.scheduledReview.create({
    data: { ownerId, name: scheduleName, crmConnectionId: connection.id, cron: "0 6 * * 1", timezone: "UTC", deliveryChannels: ["EMAIL"], emailRecipients: ["ops@example.com"], isActive: false },
  });
  const analysis = await db.analysis.create({
    data: { ownerId, scheduledReviewId: schedule.id, dealsAnalyzed: 3, healthScore: 71, issuesFound: 1, highRiskDeals: 1 },
  });
  await db.finding.create({ data: { analysisId: analysis.id, dealId: "d1", dealName: `Deal of ${ownerId}`, rule: "stale_deal", severity: "HIGH", message: "Stale" } });
  const run = await db.reviewRun.create({
    data: { ownerId, scheduledReviewId: schedule.id, trigger: "MANUAL", status: "COMPLETED", scheduledFor: new Date(), analysisId: analysis.id, completedAt: new Date() },
  });
  await db.delivery.create({ data: { ownerId, runId: run.id, channel: "EMAIL", target: "example.com", idempotencyKey: `${run.id}:email` } });
  const alert = await db.alert.create({
    data: { ownerId, kind: "CONSECUTIVE_FAILURES", severity: "CRITICAL", dedupKey: `k:${schedule.id}`, openKey: `k:${schedule.id}`, scheduledReviewId: schedule.id, title: `${scheduleName}: 2 failed runs in a row`, message: "m" },
  });
  const monitor = await db.monitor.create({ data: { ownerId, name: `${scheduleName} export job`, ingestTokenHash: `hash-${ownerId}`, ingestTokenMasked: "rwm_••••" } });
  await db.executionLog.create({ data: { ownerId, monitorId: monitor.id, status: "FAILURE", externalId: "r1", message: `failed for ${scheduleName}` } });
  return { ownerId, connectionId: connection.id, scheduleId: schedule.id, runId: run.id, analysisId: analysis.id, alertId: alert.id, monitorId: monitor.id, scheduleName };
}

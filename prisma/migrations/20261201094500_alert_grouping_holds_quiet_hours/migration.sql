-- Issue #16 review: one open alert per subject (other rules join it as AlertEvent rows), messages held by the
-- cooldown or quiet hours (AlertNotification.sendAfter), a per-target hourly cap, quiet hours, and the alert
-- sweep's own heartbeat (TickKind ALERT_SWEEP) for the dead-man rule.
-- AlterEnum
ALTER TYPE "TickKind" ADD VALUE 'ALERT_SWEEP';

-- AlterTable
ALTER TABLE "AlertNotification" ADD COLUMN     "sendAfter" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "AlertSettings" ADD COLUMN     "maxMessagesPerHour" INTEGER NOT NULL DEFAULT 20,
ADD COLUMN     "quietHours" JSONB;

-- CreateTable
CREATE TABLE "AlertEvent" (
    "id" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "alertId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "severity" "AlertSeverity" NOT NULL,
    "title" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AlertEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AlertEvent_alertId_kind_rule_key" ON "AlertEvent"("alertId", "kind", "rule");

-- CreateIndex
CREATE INDEX "AlertNotification_status_sendAfter_idx" ON "AlertNotification"("status", "sendAfter");

-- AddForeignKey
ALTER TABLE "AlertEvent" ADD CONSTRAINT "AlertEvent_alertId_fkey" FOREIGN KEY ("alertId") REFERENCES "Alert"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Alerts were keyed by rule + subject, now by subject. The oldest open alert of each subject keeps it open,
-- newer ones of the same subject are resolved as merged (their messages were sent already).
WITH ranked AS (
  SELECT id, row_number() OVER (PARTITION BY "ownerId", "subjectType", coalesce("subjectId", '-') ORDER BY "openedAt", id) AS n
  FROM "Alert" WHERE status = 'OPEN'
)
UPDATE "Alert" a SET status = 'RESOLVED', "openKey" = NULL, "resolvedAt" = CURRENT_TIMESTAMP, resolution = 'merged'
FROM ranked r WHERE a.id = r.id AND r.n > 1;
UPDATE "Alert" SET "dedupKey" = "subjectType" || ':' || coalesce("subjectId", '-');
UPDATE "Alert" SET "openKey" = "dedupKey" WHERE status = 'OPEN';

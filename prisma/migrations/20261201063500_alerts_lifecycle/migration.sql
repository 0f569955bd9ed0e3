-- Issue #16: alert settings, lifecycle and notifications. AlertSettings and Alert held no data and had no
-- code behind them: their never-used columns are replaced by the shapes the alerting code reads.
-- CreateEnum
CREATE TYPE "AlertNotificationKind" AS ENUM ('OPEN', 'RENOTIFY', 'RESOLVE', 'TEST');

-- CreateEnum
CREATE TYPE "AlertChannel" AS ENUM ('EMAIL', 'WEBHOOK');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "AlertKind" ADD VALUE 'SLOW_RUN';
ALTER TYPE "AlertKind" ADD VALUE 'CONNECTION_EXPIRED';
ALTER TYPE "AlertKind" ADD VALUE 'COVERAGE_BELOW';

-- DropIndex
DROP INDEX "Alert_ownerId_dedupKey_status_idx";

-- AlterTable
ALTER TABLE "Alert" DROP COLUMN "notifications",
ADD COLUMN     "acknowledgedAt" TIMESTAMP(3),
ADD COLUMN     "acknowledgedBy" TEXT,
ADD COLUMN     "flapping" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "mutedUntil" TIMESTAMP(3),
ADD COLUMN     "openKey" TEXT,
ADD COLUMN     "resolution" TEXT,
ADD COLUMN     "subjectId" TEXT,
ADD COLUMN     "subjectType" TEXT NOT NULL DEFAULT 'schedule';

-- AlterTable
ALTER TABLE "AlertSettings" DROP COLUMN "consecutiveFailures",
DROP COLUMN "failureThreshold",
DROP COLUMN "failureWindowHours",
DROP COLUMN "healthScoreFloor",
DROP COLUMN "schedulerSilentMinutes",
DROP COLUMN "webhookEncrypted",
DROP COLUMN "webhookMasked",
ADD COLUMN     "flappingPerDay" INTEGER NOT NULL DEFAULT 5,
ADD COLUMN     "recoverySuccesses" INTEGER NOT NULL DEFAULT 2,
ADD COLUMN     "renotifyMinutes" INTEGER NOT NULL DEFAULT 240,
ADD COLUMN     "rules" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "snoozedUntil" TIMESTAMP(3),
ADD COLUMN     "webhookSecretEncrypted" TEXT,
ADD COLUMN     "webhookSecretMasked" TEXT,
ADD COLUMN     "webhooks" JSONB NOT NULL DEFAULT '[]';

-- CreateTable
CREATE TABLE "AlertNotification" (
    "id" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "alertId" TEXT,
    "kind" "AlertNotificationKind" NOT NULL,
    "channel" "AlertChannel" NOT NULL,
    "target" TEXT NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "idempotencyKey" TEXT NOT NULL,
    "payload" JSONB,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "leaseUntil" TIMESTAMP(3),
    "providerMessageId" TEXT,
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "AlertNotification_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AlertNotification_idempotencyKey_key" ON "AlertNotification"("idempotencyKey");

-- CreateIndex
CREATE INDEX "AlertNotification_ownerId_createdAt_idx" ON "AlertNotification"("ownerId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "AlertNotification_alertId_idx" ON "AlertNotification"("alertId");

-- CreateIndex
CREATE INDEX "Alert_ownerId_dedupKey_openedAt_idx" ON "Alert"("ownerId", "dedupKey", "openedAt");

-- CreateIndex
CREATE INDEX "Alert_status_lastNotifiedAt_idx" ON "Alert"("status", "lastNotifiedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Alert_ownerId_openKey_key" ON "Alert"("ownerId", "openKey");

-- AddForeignKey
ALTER TABLE "AlertNotification" ADD CONSTRAINT "AlertNotification_alertId_fkey" FOREIGN KEY ("alertId") REFERENCES "Alert"("id") ON DELETE CASCADE ON UPDATE CASCADE;


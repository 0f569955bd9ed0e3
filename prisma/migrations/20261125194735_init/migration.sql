-- CreateEnum
CREATE TYPE "CrmProvider" AS ENUM ('HUBSPOT', 'SALESFORCE', 'DEMO');

-- CreateEnum
CREATE TYPE "ConnectionStatus" AS ENUM ('ACTIVE', 'EXPIRED', 'ERROR');

-- CreateEnum
CREATE TYPE "RunTrigger" AS ENUM ('SCHEDULED', 'MANUAL', 'REPAIR', 'REPLAY');

-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'SKIPPED');

-- CreateEnum
CREATE TYPE "CatchUpPolicy" AS ENUM ('RUN_ONCE', 'SKIP');

-- CreateEnum
CREATE TYPE "OverlapPolicy" AS ENUM ('SKIP');

-- CreateEnum
CREATE TYPE "Severity" AS ENUM ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL');

-- CreateEnum
CREATE TYPE "DeliveryChannel" AS ENUM ('EMAIL', 'SLACK');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('PENDING', 'SENT', 'FAILED', 'SKIPPED');

-- CreateEnum
CREATE TYPE "TickKind" AS ENUM ('DISPATCH', 'RECONCILE', 'POSTCHECK');

-- CreateEnum
CREATE TYPE "TickOutcome" AS ENUM ('RUNNING', 'SUCCESS', 'FAILURE');

-- CreateEnum
CREATE TYPE "AlertSeverity" AS ENUM ('INFO', 'WARNING', 'CRITICAL');

-- CreateEnum
CREATE TYPE "AlertKind" AS ENUM ('FAILURES_IN_WINDOW', 'CONSECUTIVE_FAILURES', 'LOW_HEALTH_SCORE', 'SCHEDULER_SILENT', 'MONITOR_FAILURES', 'TEST');

-- CreateEnum
CREATE TYPE "AlertStatus" AS ENUM ('OPEN', 'RESOLVED');

-- CreateEnum
CREATE TYPE "ExecutionStatus" AS ENUM ('SUCCESS', 'FAILURE');

-- CreateTable
CREATE TABLE "CrmConnection" (
    "id" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "provider" "CrmProvider" NOT NULL,
    "name" TEXT NOT NULL,
    "instanceUrl" TEXT,
    "credentialsEncrypted" TEXT,
    "tokenExpiresAt" TIMESTAMP(3),
    "status" "ConnectionStatus" NOT NULL DEFAULT 'ACTIVE',
    "lastTestedAt" TIMESTAMP(3),
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CrmConnection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScheduledReview" (
    "id" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "crmConnectionId" TEXT NOT NULL,
    "cron" TEXT NOT NULL,
    "timezone" TEXT NOT NULL,
    "deliveryChannels" "DeliveryChannel"[],
    "emailRecipients" TEXT[],
    "slackWebhookEncrypted" TEXT,
    "slackWebhookMasked" TEXT,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "lastRunAt" TIMESTAMP(3),
    "nextRunAt" TIMESTAMP(3),
    "overlapPolicy" "OverlapPolicy" NOT NULL DEFAULT 'SKIP',
    "catchUpPolicy" "CatchUpPolicy" NOT NULL DEFAULT 'RUN_ONCE',
    "ruleSettings" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ScheduledReview_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReviewRun" (
    "id" TEXT NOT NULL,
    "scheduledReviewId" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "trigger" "RunTrigger" NOT NULL,
    "scheduledFor" TIMESTAMP(3) NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'QUEUED',
    "queuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "completedAt" TIMESTAMP(3),
    "durationMs" INTEGER,
    "dealsAnalyzed" INTEGER,
    "healthScore" INTEGER,
    "issuesFound" INTEGER,
    "highRiskDeals" INTEGER,
    "errorMessage" TEXT,
    "errorCode" TEXT,
    "retryCount" INTEGER NOT NULL DEFAULT 0,
    "missedSlots" INTEGER NOT NULL DEFAULT 0,
    "analysisId" TEXT,
    "inngestEventId" TEXT,
    "inngestRunId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ReviewRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Analysis" (
    "id" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "scheduledReviewId" TEXT NOT NULL,
    "dealsAnalyzed" INTEGER NOT NULL,
    "healthScore" INTEGER NOT NULL,
    "issuesFound" INTEGER NOT NULL,
    "highRiskDeals" INTEGER NOT NULL,
    "totalAmount" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "summary" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Analysis_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Finding" (
    "id" TEXT NOT NULL,
    "analysisId" TEXT NOT NULL,
    "dealId" TEXT NOT NULL,
    "dealName" TEXT NOT NULL,
    "amount" DOUBLE PRECISION,
    "stage" TEXT,
    "rule" TEXT NOT NULL,
    "severity" "Severity" NOT NULL,
    "message" TEXT NOT NULL,

    CONSTRAINT "Finding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Delivery" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "channel" "DeliveryChannel" NOT NULL,
    "target" TEXT NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "idempotencyKey" TEXT NOT NULL,
    "providerMessageId" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SchedulerTick" (
    "id" TEXT NOT NULL,
    "kind" "TickKind" NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "durationMs" INTEGER,
    "outcome" "TickOutcome" NOT NULL DEFAULT 'RUNNING',
    "dueCount" INTEGER NOT NULL DEFAULT 0,
    "dispatched" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "missed" INTEGER NOT NULL DEFAULT 0,
    "repaired" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "details" JSONB,

    CONSTRAINT "SchedulerTick_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlertSettings" (
    "id" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "failureThreshold" INTEGER NOT NULL DEFAULT 3,
    "failureWindowHours" INTEGER NOT NULL DEFAULT 24,
    "consecutiveFailures" INTEGER NOT NULL DEFAULT 2,
    "healthScoreFloor" INTEGER,
    "schedulerSilentMinutes" INTEGER NOT NULL DEFAULT 10,
    "cooldownMinutes" INTEGER NOT NULL DEFAULT 60,
    "emailRecipients" TEXT[],
    "webhookEncrypted" TEXT,
    "webhookMasked" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AlertSettings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Alert" (
    "id" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "kind" "AlertKind" NOT NULL,
    "severity" "AlertSeverity" NOT NULL,
    "status" "AlertStatus" NOT NULL DEFAULT 'OPEN',
    "scheduledReviewId" TEXT,
    "monitorId" TEXT,
    "dedupKey" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "openedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMP(3),
    "lastNotifiedAt" TIMESTAMP(3),
    "notifications" JSONB NOT NULL DEFAULT '[]',

    CONSTRAINT "Alert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Monitor" (
    "id" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "ingestTokenHash" TEXT NOT NULL,
    "ingestTokenMasked" TEXT NOT NULL,
    "expectedIntervalMin" INTEGER,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Monitor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExecutionLog" (
    "id" TEXT NOT NULL,
    "monitorId" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "externalId" TEXT,
    "status" "ExecutionStatus" NOT NULL,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "durationMs" INTEGER,
    "message" TEXT,
    "metadata" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ExecutionLog_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CrmConnection_ownerId_idx" ON "CrmConnection"("ownerId");

-- CreateIndex
CREATE INDEX "ScheduledReview_ownerId_isActive_idx" ON "ScheduledReview"("ownerId", "isActive");

-- CreateIndex
CREATE INDEX "ScheduledReview_isActive_nextRunAt_idx" ON "ScheduledReview"("isActive", "nextRunAt");

-- CreateIndex
CREATE UNIQUE INDEX "ReviewRun_analysisId_key" ON "ReviewRun"("analysisId");

-- CreateIndex
CREATE INDEX "ReviewRun_ownerId_status_idx" ON "ReviewRun"("ownerId", "status");

-- CreateIndex
CREATE INDEX "ReviewRun_scheduledReviewId_createdAt_idx" ON "ReviewRun"("scheduledReviewId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "ReviewRun_status_queuedAt_idx" ON "ReviewRun"("status", "queuedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ReviewRun_scheduledReviewId_scheduledFor_key" ON "ReviewRun"("scheduledReviewId", "scheduledFor");

-- CreateIndex
CREATE INDEX "Analysis_ownerId_scheduledReviewId_createdAt_idx" ON "Analysis"("ownerId", "scheduledReviewId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "Finding_analysisId_idx" ON "Finding"("analysisId");

-- CreateIndex
CREATE UNIQUE INDEX "Delivery_idempotencyKey_key" ON "Delivery"("idempotencyKey");

-- CreateIndex
CREATE INDEX "Delivery_runId_idx" ON "Delivery"("runId");

-- CreateIndex
CREATE INDEX "Delivery_ownerId_createdAt_idx" ON "Delivery"("ownerId", "createdAt");

-- CreateIndex
CREATE INDEX "SchedulerTick_kind_startedAt_idx" ON "SchedulerTick"("kind", "startedAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "AlertSettings_ownerId_key" ON "AlertSettings"("ownerId");

-- CreateIndex
CREATE INDEX "Alert_ownerId_status_openedAt_idx" ON "Alert"("ownerId", "status", "openedAt" DESC);

-- CreateIndex
CREATE INDEX "Alert_ownerId_dedupKey_status_idx" ON "Alert"("ownerId", "dedupKey", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Monitor_ingestTokenHash_key" ON "Monitor"("ingestTokenHash");

-- CreateIndex
CREATE INDEX "Monitor_ownerId_idx" ON "Monitor"("ownerId");

-- CreateIndex
CREATE INDEX "ExecutionLog_monitorId_finishedAt_idx" ON "ExecutionLog"("monitorId", "finishedAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "ExecutionLog_monitorId_externalId_key" ON "ExecutionLog"("monitorId", "externalId");

-- AddForeignKey
ALTER TABLE "ScheduledReview" ADD CONSTRAINT "ScheduledReview_crmConnectionId_fkey" FOREIGN KEY ("crmConnectionId") REFERENCES "CrmConnection"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewRun" ADD CONSTRAINT "ReviewRun_scheduledReviewId_fkey" FOREIGN KEY ("scheduledReviewId") REFERENCES "ScheduledReview"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewRun" ADD CONSTRAINT "ReviewRun_analysisId_fkey" FOREIGN KEY ("analysisId") REFERENCES "Analysis"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Finding" ADD CONSTRAINT "Finding_analysisId_fkey" FOREIGN KEY ("analysisId") REFERENCES "Analysis"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Delivery" ADD CONSTRAINT "Delivery_runId_fkey" FOREIGN KEY ("runId") REFERENCES "ReviewRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Alert" ADD CONSTRAINT "Alert_scheduledReviewId_fkey" FOREIGN KEY ("scheduledReviewId") REFERENCES "ScheduledReview"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Alert" ADD CONSTRAINT "Alert_monitorId_fkey" FOREIGN KEY ("monitorId") REFERENCES "Monitor"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExecutionLog" ADD CONSTRAINT "ExecutionLog_monitorId_fkey" FOREIGN KEY ("monitorId") REFERENCES "Monitor"("id") ON DELETE CASCADE ON UPDATE CASCADE;

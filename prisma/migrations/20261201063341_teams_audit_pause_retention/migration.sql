-- AlterTable
ALTER TABLE "ScheduledReview" ADD COLUMN     "autoPauseAfterFailures" INTEGER,
ADD COLUMN     "pauseNote" TEXT,
ADD COLUMN     "pausedAt" TIMESTAMP(3),
ADD COLUMN     "pausedBy" TEXT,
ADD COLUMN     "resumeAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "actorId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "scheduledReviewId" TEXT,
    "summary" TEXT NOT NULL,
    "details" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WorkspaceSettings" (
    "id" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "runRetentionDays" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WorkspaceSettings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RunDailyAggregate" (
    "id" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "scheduledReviewId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "total" INTEGER NOT NULL,
    "completed" INTEGER NOT NULL,
    "failed" INTEGER NOT NULL,
    "skipped" INTEGER NOT NULL,
    "other" INTEGER NOT NULL,
    "healthScoreSum" INTEGER NOT NULL,
    "healthScoreCount" INTEGER NOT NULL,
    "durationMsSum" BIGINT NOT NULL,
    "durationCount" INTEGER NOT NULL,
    "durationP50Ms" INTEGER,
    "durationP95Ms" INTEGER,
    "durationMaxMs" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RunDailyAggregate_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AuditEvent_ownerId_createdAt_id_idx" ON "AuditEvent"("ownerId", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "AuditEvent_ownerId_scheduledReviewId_createdAt_idx" ON "AuditEvent"("ownerId", "scheduledReviewId", "createdAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "WorkspaceSettings_ownerId_key" ON "WorkspaceSettings"("ownerId");

-- CreateIndex
CREATE INDEX "RunDailyAggregate_ownerId_day_idx" ON "RunDailyAggregate"("ownerId", "day");

-- CreateIndex
CREATE UNIQUE INDEX "RunDailyAggregate_scheduledReviewId_day_key" ON "RunDailyAggregate"("scheduledReviewId", "day");

-- CreateIndex
CREATE INDEX "ScheduledReview_resumeAt_idx" ON "ScheduledReview"("resumeAt");

-- AddForeignKey
ALTER TABLE "RunDailyAggregate" ADD CONSTRAINT "RunDailyAggregate_scheduledReviewId_fkey" FOREIGN KEY ("scheduledReviewId") REFERENCES "ScheduledReview"("id") ON DELETE CASCADE ON UPDATE CASCADE;

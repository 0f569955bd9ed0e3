-- Issue #16 part 4: monitors for jobs that run elsewhere. Monitor and ExecutionLog held no data and had no
-- code behind them: reshaped for expected schedules, grace, max runtime and Healthchecks-style reports.
-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "ExecutionStatus" ADD VALUE 'PARTIAL';
ALTER TYPE "ExecutionStatus" ADD VALUE 'RUNNING';

-- DropIndex
DROP INDEX "ExecutionLog_monitorId_finishedAt_idx";

-- AlterTable
ALTER TABLE "ExecutionLog" ADD COLUMN     "failedActionId" TEXT,
ADD COLUMN     "failedActionName" TEXT,
ADD COLUMN     "workflowName" TEXT,
ALTER COLUMN "finishedAt" DROP NOT NULL,
ALTER COLUMN "finishedAt" DROP DEFAULT;

-- AlterTable
ALTER TABLE "Monitor" DROP COLUMN "expectedIntervalMin",
ADD COLUMN     "graceSeconds" INTEGER NOT NULL DEFAULT 300,
ADD COLUMN     "maxRuntimeSeconds" INTEGER,
ADD COLUMN     "periodSeconds" INTEGER,
ADD COLUMN     "scheduleCron" TEXT,
ADD COLUMN     "timezone" TEXT;

-- CreateIndex
CREATE INDEX "ExecutionLog_monitorId_createdAt_idx" ON "ExecutionLog"("monitorId", "createdAt" DESC);


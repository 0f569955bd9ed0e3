-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "OverlapPolicy" ADD VALUE 'BUFFER_ONE';
ALTER TYPE "OverlapPolicy" ADD VALUE 'ALLOW';

-- AlterTable
ALTER TABLE "ScheduledReview" ADD COLUMN     "catchUpWindowMinutes" INTEGER NOT NULL DEFAULT 1440,
ADD COLUMN     "missedSlotCount" INTEGER NOT NULL DEFAULT 0;

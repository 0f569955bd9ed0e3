-- AlterTable
ALTER TABLE "ScheduledReview" ADD COLUMN     "timingChangedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- Until now the timing of a schedule last changed when it was created, as far as anyone recorded.
UPDATE "ScheduledReview" SET "timingChangedAt" = "createdAt";

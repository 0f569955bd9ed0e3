-- DropIndex
DROP INDEX "ReviewRun_scheduledReviewId_createdAt_idx";

-- CreateIndex
CREATE INDEX "ReviewRun_scheduledReviewId_createdAt_id_idx" ON "ReviewRun"("scheduledReviewId", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "ReviewRun_scheduledReviewId_status_createdAt_id_idx" ON "ReviewRun"("scheduledReviewId", "status", "createdAt" DESC, "id" DESC);

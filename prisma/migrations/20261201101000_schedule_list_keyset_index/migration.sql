-- CreateIndex
CREATE INDEX "ScheduledReview_ownerId_createdAt_id_idx" ON "ScheduledReview"("ownerId", "createdAt" DESC, "id" DESC);

-- Partial indexes for the scheduler's per-tick queries. On a big live table an operator may prefer to run
-- these as CREATE INDEX CONCURRENTLY by hand before deploying (README, "Scale").

-- CreateIndex
CREATE INDEX "ReviewRun_buffered_idx" ON "ReviewRun"("scheduledReviewId") WHERE (status = 'SKIPPED'::"RunStatus" AND "errorCode" = 'buffered');

-- CreateIndex
CREATE INDEX "ScheduledReview_nextRunAt_id_idx" ON "ScheduledReview"("nextRunAt", "id") WHERE ("isActive");

-- DropIndex
DROP INDEX "ReviewRun_status_queuedAt_idx";

-- CreateIndex
CREATE INDEX "ReviewRun_status_queuedAt_id_idx" ON "ReviewRun"("status", "queuedAt", "id");

-- A schedule's Activity pages by ("createdAt", id): the index carries id so the row-value cursor is
-- an index condition and the order needs no sort. Built before the old one is dropped, so the
-- table's exclusive lock (the DROP) is taken only at the end, not for the whole build.
CREATE INDEX "AuditEvent_ownerId_scheduledReviewId_createdAt_id_idx" ON "AuditEvent"("ownerId", "scheduledReviewId", "createdAt" DESC, "id" DESC);
DROP INDEX "AuditEvent_ownerId_scheduledReviewId_createdAt_idx";

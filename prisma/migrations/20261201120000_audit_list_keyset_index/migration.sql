-- A schedule's Activity pages by ("createdAt", id): the index carries id so the row-value cursor is
-- an index condition and the order needs no sort.
DROP INDEX "AuditEvent_ownerId_scheduledReviewId_createdAt_idx";
CREATE INDEX "AuditEvent_ownerId_scheduledReviewId_createdAt_id_idx" ON "AuditEvent"("ownerId", "scheduledReviewId", "createdAt" DESC, "id" DESC);

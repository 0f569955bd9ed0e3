-- The alert list pages by ("openedAt", id) within a status: the index carries id so the row-value
-- cursor is an index condition, not a filter.
DROP INDEX "Alert_ownerId_status_openedAt_idx";
CREATE INDEX "Alert_ownerId_status_openedAt_id_idx" ON "Alert"("ownerId", "status", "openedAt" DESC, "id" DESC);

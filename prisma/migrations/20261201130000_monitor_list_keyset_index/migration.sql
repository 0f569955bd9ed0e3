-- The monitor list pages by ("createdAt", id) within a tenant: the index carries both so the row-value
-- cursor is an index condition and the order needs no sort (it also serves every "ownerId" lookup the
-- plain index did).
DROP INDEX "Monitor_ownerId_idx";
CREATE INDEX "Monitor_ownerId_createdAt_id_idx" ON "Monitor"("ownerId", "createdAt" DESC, "id" DESC);

-- A monitor's metrics read its latest 1000 executions: with id in the index, executions reported in
-- the same millisecond fall in or out of that window in one defined order, without a sort.
DROP INDEX "ExecutionLog_monitorId_createdAt_idx";
CREATE INDEX "ExecutionLog_monitorId_createdAt_id_idx" ON "ExecutionLog"("monitorId", "createdAt" DESC, "id" DESC);

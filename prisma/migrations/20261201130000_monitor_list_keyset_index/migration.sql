-- The monitor list pages by ("createdAt", id) within a tenant: the index carries both so the row-value
-- cursor is an index condition and the order needs no sort (it also serves every "ownerId" lookup the
-- plain index did).
-- A monitor's metrics read its latest 1000 executions: with id in the index, executions reported in
-- the same millisecond fall in or out of that window in one defined order, without a sort.
-- Each new index is built before the old one is dropped, so the exclusive lock (the DROP) comes only
-- at the end, not for the whole build of the busiest write table.
CREATE INDEX "Monitor_ownerId_createdAt_id_idx" ON "Monitor"("ownerId", "createdAt" DESC, "id" DESC);
DROP INDEX "Monitor_ownerId_idx";
CREATE INDEX "ExecutionLog_monitorId_createdAt_id_idx" ON "ExecutionLog"("monitorId", "createdAt" DESC, "id" DESC);
DROP INDEX "ExecutionLog_monitorId_createdAt_idx";

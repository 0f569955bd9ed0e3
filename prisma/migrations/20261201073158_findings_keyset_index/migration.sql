-- DropIndex
DROP INDEX "Finding_analysisId_idx";

-- CreateIndex
CREATE INDEX "Finding_analysisId_dealId_rule_id_idx" ON "Finding"("analysisId", "dealId", "rule", "id");

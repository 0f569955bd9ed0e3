-- AlterTable
ALTER TABLE "WorkspaceSettings" ADD COLUMN     "plan" TEXT,
ALTER COLUMN "runRetentionDays" DROP NOT NULL;

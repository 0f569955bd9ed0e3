-- AlterTable
ALTER TABLE "ReviewRun" ADD COLUMN     "repairCount" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN     "payload" JSONB;

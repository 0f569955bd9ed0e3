/*
  Warnings:

  - You are about to drop the column `summary` on the `Analysis` table. All the data in the column will be lost.
  - You are about to drop the column `credentialsEncrypted` on the `CrmConnection` table. All the data in the column will be lost.
  - You are about to drop the column `lastError` on the `CrmConnection` table. All the data in the column will be lost.
  - You are about to drop the column `lastTestedAt` on the `CrmConnection` table. All the data in the column will be lost.
  - You are about to drop the column `tokenExpiresAt` on the `CrmConnection` table. All the data in the column will be lost.

*/
-- AlterTable
ALTER TABLE "Analysis" DROP COLUMN "summary";

-- AlterTable
ALTER TABLE "CrmConnection" DROP COLUMN "credentialsEncrypted",
DROP COLUMN "lastError",
DROP COLUMN "lastTestedAt",
DROP COLUMN "tokenExpiresAt";

-- AlterTable
ALTER TABLE "CrmConnection" ADD COLUMN     "accessTokenEnc" TEXT,
ADD COLUMN     "expiredAt" TIMESTAMP(3),
ADD COLUMN     "externalAccountId" TEXT,
ADD COLUMN     "lastTestMessage" TEXT,
ADD COLUMN     "lastTestOk" BOOLEAN,
ADD COLUMN     "lastTestedAt" TIMESTAMP(3),
ADD COLUMN     "loginUrl" TEXT,
ADD COLUMN     "refreshTokenEnc" TEXT,
ADD COLUMN     "tokenExpiresAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "ScheduledReview" ADD COLUMN     "scanScope" JSONB NOT NULL DEFAULT '{}';

-- CreateTable
CREATE TABLE "OAuthStateUse" (
    "nonce" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OAuthStateUse_pkey" PRIMARY KEY ("nonce")
);

-- CreateIndex
CREATE INDEX "OAuthStateUse_expiresAt_idx" ON "OAuthStateUse"("expiresAt");

-- AlterTable
ALTER TABLE "UpgradeAttempt" ADD COLUMN     "pushBaseSha" TEXT;


-- AlterTable
ALTER TABLE "Build" ADD COLUMN     "lastRequestAt" TIMESTAMP(3),
ADD COLUMN     "sleepingSince" TIMESTAMP(3);


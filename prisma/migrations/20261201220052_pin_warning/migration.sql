-- AlterTable
ALTER TABLE "Branch" ADD COLUMN     "revisionWarnedAt" TIMESTAMP(3);


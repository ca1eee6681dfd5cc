-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "deletionRequestedAt" TIMESTAMP(3),
ADD COLUMN     "keepLastBackupOnDeletion" BOOLEAN NOT NULL DEFAULT true;

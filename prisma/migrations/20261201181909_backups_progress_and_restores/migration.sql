-- AlterTable
ALTER TABLE "Backup" ADD COLUMN     "deletedAt" TIMESTAMP(3),
ADD COLUMN     "message" TEXT,
ADD COLUMN     "progress" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "requestedById" TEXT,
ADD COLUMN     "sourceBuildId" TEXT,
ADD COLUMN     "startedAt" TIMESTAMP(3),
ADD COLUMN     "verifiedAt" TIMESTAMP(3),
ADD COLUMN     "workerId" TEXT;

-- CreateTable
CREATE TABLE "BackupRestore" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "branchId" TEXT NOT NULL,
    "backupId" TEXT,
    "status" "BackupStatus" NOT NULL DEFAULT 'PENDING',
    "progress" INTEGER NOT NULL DEFAULT 0,
    "message" TEXT,
    "error" TEXT,
    "safetyBackupId" TEXT,
    "requestedById" TEXT,
    "workerId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "BackupRestore_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "BackupRestore_branchId_createdAt_idx" ON "BackupRestore"("branchId", "createdAt");

-- CreateIndex
CREATE INDEX "BackupRestore_projectId_createdAt_idx" ON "BackupRestore"("projectId", "createdAt");

-- AddForeignKey
ALTER TABLE "BackupRestore" ADD CONSTRAINT "BackupRestore_backupId_fkey" FOREIGN KEY ("backupId") REFERENCES "Backup"("id") ON DELETE SET NULL ON UPDATE CASCADE;


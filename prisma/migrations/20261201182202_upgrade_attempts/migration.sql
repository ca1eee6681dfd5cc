-- CreateEnum
CREATE TYPE "UpgradeKind" AS ENUM ('REHEARSAL', 'PRODUCTION');

-- CreateEnum
CREATE TYPE "UpgradeStatus" AS ENUM ('SCHEDULED', 'QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED');

-- CreateTable
CREATE TABLE "UpgradeAttempt" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "branchId" TEXT NOT NULL,
    "kind" "UpgradeKind" NOT NULL,
    "status" "UpgradeStatus" NOT NULL DEFAULT 'QUEUED',
    "engine" TEXT NOT NULL DEFAULT 'scripts',
    "fromSeries" TEXT NOT NULL,
    "toSeries" TEXT NOT NULL,
    "scheduledFor" TIMESTAMP(3),
    "onNextPush" BOOLEAN NOT NULL DEFAULT false,
    "requestedById" TEXT,
    "backupId" TEXT,
    "steps" JSONB NOT NULL DEFAULT '[]',
    "report" JSONB,
    "error" TEXT,
    "failedStep" TEXT,
    "reverted" BOOLEAN NOT NULL DEFAULT false,
    "acknowledgedAt" TIMESTAMP(3),
    "testModeUntil" TIMESTAMP(3),
    "copyDatabase" TEXT,
    "workerId" TEXT,
    "cancelRequestedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "UpgradeAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "UpgradeAttempt_branchId_createdAt_idx" ON "UpgradeAttempt"("branchId", "createdAt");

-- CreateIndex
CREATE INDEX "UpgradeAttempt_status_idx" ON "UpgradeAttempt"("status");

-- AddForeignKey
ALTER TABLE "UpgradeAttempt" ADD CONSTRAINT "UpgradeAttempt_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UpgradeAttempt" ADD CONSTRAINT "UpgradeAttempt_branchId_fkey" FOREIGN KEY ("branchId") REFERENCES "Branch"("id") ON DELETE CASCADE ON UPDATE CASCADE;


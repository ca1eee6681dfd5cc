-- CreateEnum
CREATE TYPE "GateChecks" AS ENUM ('NONE', 'ALL', 'NAMED');

-- AlterEnum
ALTER TYPE "BuildStatus" ADD VALUE 'WAITING';

-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "timeZone" TEXT NOT NULL DEFAULT 'UTC';

-- AlterTable
ALTER TABLE "Branch" ADD COLUMN     "deployWindowDays" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
ADD COLUMN     "deployWindowEnd" INTEGER NOT NULL DEFAULT 24,
ADD COLUMN     "deployWindowStart" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "gateCheckNames" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "gateChecks" "GateChecks" NOT NULL DEFAULT 'NONE';

-- CreateTable
CREATE TABLE "DeployGate" (
    "id" TEXT NOT NULL,
    "buildId" TEXT NOT NULL,
    "waitingChecks" BOOLEAN NOT NULL DEFAULT false,
    "waitingWindow" BOOLEAN NOT NULL DEFAULT false,
    "checks" JSONB NOT NULL DEFAULT '[]',
    "checksError" TEXT,
    "windowOpensAt" TIMESTAMP(3),
    "evaluatedAt" TIMESTAMP(3),
    "releasedAt" TIMESTAMP(3),
    "releasedBy" TEXT,
    "releaseNote" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DeployGate_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "DeployGate_buildId_key" ON "DeployGate"("buildId");

-- AddForeignKey
ALTER TABLE "DeployGate" ADD CONSTRAINT "DeployGate_buildId_fkey" FOREIGN KEY ("buildId") REFERENCES "Build"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- CreateEnum
CREATE TYPE "ProbeOutcome" AS ENUM ('UP', 'DOWN', 'MAINTENANCE');

-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "downAlertMinutes" INTEGER NOT NULL DEFAULT 3;

-- CreateTable
CREATE TABLE "ProductionProbe" (
    "branchId" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "buildId" TEXT,
    "outcome" "ProbeOutcome" NOT NULL,
    "latencyMs" INTEGER,
    "httpStatus" INTEGER,
    "cause" TEXT,

    CONSTRAINT "ProductionProbe_pkey" PRIMARY KEY ("branchId","at")
);

-- CreateTable
CREATE TABLE "ProductionUptimeDay" (
    "branchId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "up" INTEGER NOT NULL DEFAULT 0,
    "down" INTEGER NOT NULL DEFAULT 0,
    "maintenance" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ProductionUptimeDay_pkey" PRIMARY KEY ("branchId","day")
);

-- CreateTable
CREATE TABLE "ProductionIncident" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "branchId" TEXT NOT NULL,
    "buildId" TEXT,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "endedAt" TIMESTAMPTZ(3),
    "cause" TEXT NOT NULL,
    "detail" TEXT,
    "failures" INTEGER NOT NULL DEFAULT 1,
    "downNotifiedAt" TIMESTAMP(3),
    "upNotifiedAt" TIMESTAMP(3),

    CONSTRAINT "ProductionIncident_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ProductionProbe_at_idx" ON "ProductionProbe" USING BRIN ("at");

-- CreateIndex
CREATE INDEX "ProductionIncident_branchId_startedAt_idx" ON "ProductionIncident"("branchId", "startedAt");

-- CreateIndex
CREATE INDEX "ProductionIncident_projectId_startedAt_idx" ON "ProductionIncident"("projectId", "startedAt");

-- AddForeignKey
ALTER TABLE "ProductionProbe" ADD CONSTRAINT "ProductionProbe_branchId_fkey" FOREIGN KEY ("branchId") REFERENCES "Branch"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProductionUptimeDay" ADD CONSTRAINT "ProductionUptimeDay_branchId_fkey" FOREIGN KEY ("branchId") REFERENCES "Branch"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProductionIncident" ADD CONSTRAINT "ProductionIncident_branchId_fkey" FOREIGN KEY ("branchId") REFERENCES "Branch"("id") ON DELETE CASCADE ON UPDATE CASCADE;


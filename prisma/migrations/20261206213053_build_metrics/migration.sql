-- CreateEnum
CREATE TYPE "MetricResolution" AS ENUM ('MINUTE', 'HOUR');

-- CreateTable
CREATE TABLE "BuildMetric" (
    "buildId" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "cpuPercent" REAL,
    "cpuUsageNs" BIGINT,
    "memoryBytes" BIGINT,
    "memoryLimitBytes" BIGINT,
    "dbSizeBytes" BIGINT,
    "dbConnections" INTEGER,
    "longestQuerySeconds" REAL,
    "filestoreBytes" BIGINT,

    CONSTRAINT "BuildMetric_pkey" PRIMARY KEY ("buildId","at")
);

-- CreateTable
CREATE TABLE "BuildMetricRollup" (
    "buildId" TEXT NOT NULL,
    "resolution" "MetricResolution" NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "samples" INTEGER NOT NULL,
    "cpuPercent" REAL,
    "cpuPercentMax" REAL,
    "memoryBytes" BIGINT,
    "memoryBytesMax" BIGINT,
    "memoryLimitBytes" BIGINT,
    "dbSizeBytes" BIGINT,
    "dbConnections" REAL,
    "dbConnectionsMax" INTEGER,
    "longestQuerySeconds" REAL,
    "filestoreBytes" BIGINT,

    CONSTRAINT "BuildMetricRollup_pkey" PRIMARY KEY ("buildId","resolution","at")
);

-- CreateIndex
CREATE INDEX "BuildMetric_at_idx" ON "BuildMetric" USING BRIN ("at");

-- CreateIndex
CREATE INDEX "BuildMetricRollup_at_idx" ON "BuildMetricRollup" USING BRIN ("at");

-- AddForeignKey
ALTER TABLE "BuildMetric" ADD CONSTRAINT "BuildMetric_buildId_fkey" FOREIGN KEY ("buildId") REFERENCES "Build"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BuildMetricRollup" ADD CONSTRAINT "BuildMetricRollup_buildId_fkey" FOREIGN KEY ("buildId") REFERENCES "Build"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- AlterTable
ALTER TABLE "BuildMetric" ADD COLUMN     "http4xx" INTEGER,
ADD COLUMN     "http5xx" INTEGER,
ADD COLUMN     "httpConcurrentMax" INTEGER,
ADD COLUMN     "httpP50Ms" REAL,
ADD COLUMN     "httpP95Ms" REAL,
ADD COLUMN     "httpRequests" INTEGER,
ADD COLUMN     "odooCronTimeouts" INTEGER,
ADD COLUMN     "odooWorkerRecycles" INTEGER;

-- AlterTable
ALTER TABLE "BuildMetricRollup" ADD COLUMN     "http4xx" INTEGER,
ADD COLUMN     "http5xx" INTEGER,
ADD COLUMN     "httpConcurrentMax" INTEGER,
ADD COLUMN     "httpP50Ms" REAL,
ADD COLUMN     "httpP95Ms" REAL,
ADD COLUMN     "httpRequests" INTEGER,
ADD COLUMN     "odooCronTimeouts" INTEGER,
ADD COLUMN     "odooWorkerRecycles" INTEGER;

-- CreateTable
CREATE TABLE "LogReadPosition" (
    "source" TEXT NOT NULL,
    "inode" BIGINT NOT NULL,
    "offset" BIGINT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LogReadPosition_pkey" PRIMARY KEY ("source")
);


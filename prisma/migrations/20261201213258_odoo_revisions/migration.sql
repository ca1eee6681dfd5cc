-- AlterTable
ALTER TABLE "Build" ADD COLUMN     "odooRevision" TEXT;

-- CreateTable
CREATE TABLE "OdooRevision" (
    "id" TEXT NOT NULL,
    "series" TEXT NOT NULL,
    "revision" TEXT NOT NULL,
    "imageId" TEXT NOT NULL,
    "seenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "supersededAt" TIMESTAMP(3),

    CONSTRAINT "OdooRevision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "OdooRevision_series_seenAt_idx" ON "OdooRevision"("series", "seenAt");

-- CreateIndex
CREATE UNIQUE INDEX "OdooRevision_series_revision_key" ON "OdooRevision"("series", "revision");


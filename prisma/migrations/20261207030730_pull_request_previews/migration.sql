-- CreateEnum
CREATE TYPE "PreviewMode" AS ENUM ('OFF', 'DEVELOPMENT');

-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "previewForks" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "previewLimit" INTEGER NOT NULL DEFAULT 5,
ADD COLUMN     "previewMode" "PreviewMode" NOT NULL DEFAULT 'DEVELOPMENT';

-- CreateTable
CREATE TABLE "Preview" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "branchId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "url" TEXT NOT NULL,
    "title" TEXT NOT NULL DEFAULT '',
    "fork" BOOLEAN NOT NULL DEFAULT false,
    "headRepository" TEXT,
    "headSha" TEXT NOT NULL,
    "commentId" BIGINT,
    "closedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Preview_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Preview_branchId_idx" ON "Preview"("branchId");

-- CreateIndex
CREATE UNIQUE INDEX "Preview_projectId_number_key" ON "Preview"("projectId", "number");

-- AddForeignKey
ALTER TABLE "Preview" ADD CONSTRAINT "Preview_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Preview" ADD CONSTRAINT "Preview_branchId_fkey" FOREIGN KEY ("branchId") REFERENCES "Branch"("id") ON DELETE CASCADE ON UPDATE CASCADE;


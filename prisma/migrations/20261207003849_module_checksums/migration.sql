-- AlterTable
ALTER TABLE "Branch" ADD COLUMN     "updateChangedModules" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Build" ADD COLUMN     "moduleChecksums" JSONB;


-- AlterTable
ALTER TABLE "Build" ADD COLUMN     "servingNode" TEXT;


-- AlterTable
ALTER TABLE "Build" ADD COLUMN     "nodeLostAt" TIMESTAMP(3);

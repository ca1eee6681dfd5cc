-- AlterTable
ALTER TABLE "DbServer" ADD COLUMN     "pool" TEXT;


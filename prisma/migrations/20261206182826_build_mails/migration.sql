-- AlterTable
ALTER TABLE "Build" ADD COLUMN     "mailPasswordEnc" TEXT;

-- CreateTable
CREATE TABLE "BuildMail" (
    "id" TEXT NOT NULL,
    "buildId" TEXT NOT NULL,
    "mailFrom" TEXT NOT NULL,
    "rcptTo" TEXT[],
    "subject" TEXT NOT NULL DEFAULT '',
    "text" TEXT NOT NULL DEFAULT '',
    "size" INTEGER NOT NULL,
    "raw" BYTEA NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BuildMail_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "BuildMail_buildId_receivedAt_idx" ON "BuildMail"("buildId", "receivedAt");

-- AddForeignKey
ALTER TABLE "BuildMail" ADD CONSTRAINT "BuildMail_buildId_fkey" FOREIGN KEY ("buildId") REFERENCES "Build"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- CreateTable
CREATE TABLE "ShellSession" (
    "id" TEXT NOT NULL,
    "buildId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "userId" TEXT,
    "userEmail" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "via" TEXT NOT NULL DEFAULT 'web',
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMP(3),
    "endReason" TEXT,
    "bytesIn" INTEGER NOT NULL DEFAULT 0,
    "bytesOut" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ShellSession_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ShellSession_buildId_startedAt_idx" ON "ShellSession"("buildId", "startedAt");

-- CreateIndex
CREATE INDEX "ShellSession_projectId_startedAt_idx" ON "ShellSession"("projectId", "startedAt");

-- AddForeignKey
ALTER TABLE "ShellSession" ADD CONSTRAINT "ShellSession_buildId_fkey" FOREIGN KEY ("buildId") REFERENCES "Build"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShellSession" ADD CONSTRAINT "ShellSession_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;


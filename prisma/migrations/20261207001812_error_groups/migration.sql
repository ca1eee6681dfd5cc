-- CreateTable
CREATE TABLE "ErrorGroup" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "logger" TEXT,
    "exception" TEXT,
    "firstSeenAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,
    "stages" "Stage"[] DEFAULT ARRAY[]::"Stage"[],
    "flaky" BOOLEAN NOT NULL DEFAULT false,
    "flakyCommit" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ErrorGroup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ErrorOccurrence" (
    "id" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "buildId" TEXT NOT NULL,
    "branchId" TEXT NOT NULL,
    "stage" "Stage" NOT NULL,
    "file" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "level" TEXT,
    "logger" TEXT,
    "message" TEXT NOT NULL,
    "text" TEXT NOT NULL,

    CONSTRAINT "ErrorOccurrence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ErrorScan" (
    "buildId" TEXT NOT NULL,
    "cursors" JSONB NOT NULL DEFAULT '{}',
    "lines" INTEGER NOT NULL DEFAULT 0,
    "occurrences" INTEGER NOT NULL DEFAULT 0,
    "finalAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ErrorScan_pkey" PRIMARY KEY ("buildId")
);

-- CreateIndex
CREATE INDEX "ErrorGroup_projectId_lastSeenAt_idx" ON "ErrorGroup"("projectId", "lastSeenAt");

-- CreateIndex
CREATE UNIQUE INDEX "ErrorGroup_projectId_fingerprint_key" ON "ErrorGroup"("projectId", "fingerprint");

-- CreateIndex
CREATE INDEX "ErrorOccurrence_groupId_at_idx" ON "ErrorOccurrence"("groupId", "at");

-- CreateIndex
CREATE INDEX "ErrorOccurrence_branchId_groupId_idx" ON "ErrorOccurrence"("branchId", "groupId");

-- CreateIndex
CREATE UNIQUE INDEX "ErrorOccurrence_buildId_file_line_key" ON "ErrorOccurrence"("buildId", "file", "line");

-- AddForeignKey
ALTER TABLE "ErrorGroup" ADD CONSTRAINT "ErrorGroup_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ErrorOccurrence" ADD CONSTRAINT "ErrorOccurrence_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "ErrorGroup"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ErrorOccurrence" ADD CONSTRAINT "ErrorOccurrence_buildId_fkey" FOREIGN KEY ("buildId") REFERENCES "Build"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ErrorScan" ADD CONSTRAINT "ErrorScan_buildId_fkey" FOREIGN KEY ("buildId") REFERENCES "Build"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "gitUrl" TEXT;

-- AlterTable
ALTER TABLE "Build" ADD COLUMN     "cancelRequestedAt" TIMESTAMP(3),
ADD COLUMN     "cleanedAt" TIMESTAMP(3),
ADD COLUMN     "containerName" TEXT,
ADD COLUMN     "databaseName" TEXT,
ADD COLUMN     "databaseRole" TEXT,
ADD COLUMN     "dbServerId" TEXT,
ADD COLUMN     "httpPort" INTEGER,
ADD COLUMN     "odooSeries" TEXT,
ADD COLUMN     "servingAt" TIMESTAMP(3),
ADD COLUMN     "workerId" TEXT;

-- CreateTable
CREATE TABLE "DbServer" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "port" INTEGER NOT NULL,
    "adminUser" TEXT NOT NULL,
    "adminPasswordEnc" TEXT NOT NULL,
    "defaultStages" "Stage"[] DEFAULT ARRAY[]::"Stage"[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DbServer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProjectDbServer" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "stage" "Stage" NOT NULL,
    "serverId" TEXT NOT NULL,

    CONSTRAINT "ProjectDbServer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TemplateDatabase" (
    "id" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "keyHash" TEXT NOT NULL,
    "series" TEXT NOT NULL,
    "demo" BOOLEAN NOT NULL,
    "modules" TEXT[],
    "ready" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TemplateDatabase_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "DbServer_name_key" ON "DbServer"("name");

-- CreateIndex
CREATE UNIQUE INDEX "ProjectDbServer_projectId_stage_key" ON "ProjectDbServer"("projectId", "stage");

-- CreateIndex
CREATE UNIQUE INDEX "TemplateDatabase_serverId_name_key" ON "TemplateDatabase"("serverId", "name");

-- AddForeignKey
ALTER TABLE "Build" ADD CONSTRAINT "Build_dbServerId_fkey" FOREIGN KEY ("dbServerId") REFERENCES "DbServer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectDbServer" ADD CONSTRAINT "ProjectDbServer_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectDbServer" ADD CONSTRAINT "ProjectDbServer_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "DbServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TemplateDatabase" ADD CONSTRAINT "TemplateDatabase_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "DbServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- CreateEnum
CREATE TYPE "GithubAuthKind" AS ENUM ('TOKEN', 'APP');

-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "deployKeyId" BIGINT,
ADD COLUMN     "deployKeyPrivateEnc" TEXT,
ADD COLUMN     "deployKeyPublic" TEXT,
ADD COLUMN     "githubAuthKind" "GithubAuthKind",
ADD COLUMN     "githubConnectedAt" TIMESTAMP(3),
ADD COLUMN     "githubInstallationId" BIGINT,
ADD COLUMN     "githubTokenEnc" TEXT,
ADD COLUMN     "stagingLimit" INTEGER NOT NULL DEFAULT 3,
ADD COLUMN     "webhookHookId" BIGINT,
ADD COLUMN     "webhookSecretEnc" TEXT;

-- AlterTable
ALTER TABLE "Branch" ADD COLUMN     "deletedAt" TIMESTAMP(3),
ADD COLUMN     "lastSeenSha" TEXT,
ADD COLUMN     "pullRequestNumber" INTEGER,
ADD COLUMN     "pullRequestUrl" TEXT;

-- AlterTable
ALTER TABLE "Build" ADD COLUMN     "githubDeploymentId" BIGINT;

-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN     "action" TEXT,
ADD COLUMN     "ref" TEXT,
ADD COLUMN     "summary" TEXT;


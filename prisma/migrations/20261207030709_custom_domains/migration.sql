-- CreateEnum
CREATE TYPE "DomainVerification" AS ENUM ('PENDING', 'VERIFIED', 'FAILED');

-- CreateTable
CREATE TABLE "Domain" (
    "id" TEXT NOT NULL,
    "branchId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "primary" BOOLEAN NOT NULL DEFAULT false,
    "verification" "DomainVerification" NOT NULL DEFAULT 'PENDING',
    "verificationReason" TEXT,
    "dnsAnswer" TEXT,
    "checkedAt" TIMESTAMP(3),
    "verifiedAt" TIMESTAMP(3),
    "certIssuer" TEXT,
    "certExpiresAt" TIMESTAMP(3),
    "certError" TEXT,
    "certCheckedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Domain_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Domain_name_key" ON "Domain"("name");

-- CreateIndex
CREATE INDEX "Domain_branchId_idx" ON "Domain"("branchId");

-- AddForeignKey
ALTER TABLE "Domain" ADD CONSTRAINT "Domain_branchId_fkey" FOREIGN KEY ("branchId") REFERENCES "Branch"("id") ON DELETE CASCADE ON UPDATE CASCADE;


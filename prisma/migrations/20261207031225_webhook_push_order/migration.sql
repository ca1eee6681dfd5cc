-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN     "afterSha" TEXT,
ADD COLUMN     "beforeSha" TEXT;

-- CreateIndex
CREATE INDEX "WebhookDelivery_projectId_ref_beforeSha_idx" ON "WebhookDelivery"("projectId", "ref", "beforeSha");


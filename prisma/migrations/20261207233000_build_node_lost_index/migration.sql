-- CreateIndex
CREATE INDEX "Build_nodeLostAt_idx" ON "Build"("nodeLostAt");

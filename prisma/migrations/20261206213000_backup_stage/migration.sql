-- The stage of a backup's data when it was taken. Earlier rows take their branch's stage now
-- (the best knowledge left), or production without a branch.
ALTER TABLE "Backup" ADD COLUMN "stage" "Stage" NOT NULL DEFAULT 'PRODUCTION';
UPDATE "Backup" AS b SET "stage" = br."stage" FROM "Branch" AS br WHERE b."branchId" = br."id";

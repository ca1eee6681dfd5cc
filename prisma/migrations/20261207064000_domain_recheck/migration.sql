-- The scheduled recheck of custom domains tells each problem once.
ALTER TABLE "Domain" ADD COLUMN "problemNotifiedAt" TIMESTAMP(3);

-- Projects' first channel (mail to the Admins) hears of failing domains too, as new ones do.
UPDATE "NotificationChannel"
SET "events" = array_append("events", 'domain.problem')
WHERE "kind" = 'MAIL' AND "name" = 'Project Admins' AND NOT ('domain.problem' = ANY ("events"));

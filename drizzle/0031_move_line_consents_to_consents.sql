-- LINE notification consents join PDPA's one record of consent (purpose line_notifications), keeping when each was
-- given and withdrawn and the notice version it was given under. A person can hold a standing consent in both
-- records (one given on the privacy page): the later one stays standing, the earlier is closed when it was given.
UPDATE "consents" c SET "withdrawn_at" = l."given_at"
FROM "line_notification_consents" l
WHERE l."user_id" = c."user_id" AND l."withdrawn_at" IS NULL
	AND c."purpose" = 'line_notifications' AND c."withdrawn_at" IS NULL AND c."given_at" <= l."given_at";
--> statement-breakpoint
INSERT INTO "consents" ("user_id", "purpose", "notice_version", "given_at", "withdrawn_at")
SELECT l."user_id", 'line_notifications', coalesce(nullif(left(l."notice_version", 40), ''), 'unknown'), l."given_at",
	coalesce(l."withdrawn_at", (
		SELECT min(c."given_at") FROM "consents" c
		WHERE c."user_id" = l."user_id" AND c."purpose" = 'line_notifications' AND c."withdrawn_at" IS NULL
	))
FROM "line_notification_consents" l
ORDER BY l."given_at";

ALTER TABLE "startup_certifications" ADD COLUMN "issuer" text;--> statement-breakpoint
ALTER TABLE "startup_certifications" ADD COLUMN "evidence_path" text;--> statement-breakpoint
ALTER TABLE "startup_certifications" ADD COLUMN "checked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "startup_certifications" ADD COLUMN "checked_by" uuid;--> statement-breakpoint
ALTER TABLE "startup_certifications" ADD COLUMN "refusal_reason" text;--> statement-breakpoint
ALTER TABLE "startup_certifications" ADD COLUMN "reminded_for" date;--> statement-breakpoint
ALTER TABLE "startup_certifications" ADD CONSTRAINT "startup_certifications_checked_by_users_id_fk" FOREIGN KEY ("checked_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "startup_certifications_waiting_idx" ON "startup_certifications" USING btree ("startup_id") WHERE "startup_certifications"."evidence_path" is not null and "startup_certifications"."checked_at" is null and "startup_certifications"."refusal_reason" is null;--> statement-breakpoint
CREATE INDEX "startup_certifications_expires_idx" ON "startup_certifications" USING btree ("expires_on");--> statement-breakpoint
ALTER TABLE "startup_certifications" ADD CONSTRAINT "startup_certifications_checked_or_refused" CHECK ("startup_certifications"."checked_at" is null or "startup_certifications"."refusal_reason" is null);
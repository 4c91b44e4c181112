CREATE TYPE "public"."organisation_verification" AS ENUM('unverified', 'pending', 'verified', 'refused', 'revoked');--> statement-breakpoint
CREATE TABLE "organisation_documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"path" text NOT NULL,
	"file_name" text NOT NULL,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organisation_documents_file_name_length" CHECK (char_length("organisation_documents"."file_name") between 1 and 200)
);
--> statement-breakpoint
ALTER TABLE "demands" ADD COLUMN "verified_offers_only" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "verification" "organisation_verification" DEFAULT 'unverified' NOT NULL;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "verification_reason" text;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "verification_requested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "organisation_documents" ADD CONSTRAINT "organisation_documents_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_documents" ADD CONSTRAINT "organisation_documents_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "organisation_documents_organisation_idx" ON "organisation_documents" USING btree ("organisation_id","created_at");--> statement-breakpoint
CREATE INDEX "organisations_verification_idx" ON "organisations" USING btree ("verification","verification_requested_at") WHERE "organisations"."verification" = 'pending';--> statement-breakpoint
ALTER TABLE "organisations" ADD CONSTRAINT "organisations_verification_has_number" CHECK ("organisations"."verification" in ('unverified', 'refused', 'revoked') or "organisations"."registration_number" is not null);--> statement-breakpoint
ALTER TABLE "organisations" ADD CONSTRAINT "organisations_verification_refusal_has_reason" CHECK ("organisations"."verification" not in ('refused', 'revoked') or char_length(coalesce("organisations"."verification_reason", '')) > 0);
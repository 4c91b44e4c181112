ALTER TYPE "public"."review_decision" ADD VALUE 'revise';--> statement-breakpoint
CREATE TABLE "office_settings" (
	"province_code" text PRIMARY KEY NOT NULL,
	"approval_threshold" smallint NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "office_settings_threshold_range" CHECK ("office_settings"."approval_threshold" between 0 and 20)
);
--> statement-breakpoint
ALTER TABLE "office_settings" ADD CONSTRAINT "office_settings_province_code_provinces_code_fk" FOREIGN KEY ("province_code") REFERENCES "public"."provinces"("code") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "office_settings" ADD CONSTRAINT "office_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_revise_has_note" CHECK ("reviews"."decision"::text <> 'revise' or char_length(coalesce("reviews"."comments"->>'note', '')) > 0);
CREATE TYPE "public"."agency_kind" AS ENUM('finance', 'land', 'institute', 'other');--> statement-breakpoint
CREATE TYPE "public"."referral_reason" AS ENUM('offer_exceeds_capacity', 'matched_demand_exceeds_capacity');--> statement-breakpoint
CREATE TYPE "public"."referral_status" AS ENUM('offered', 'requested', 'dismissed');--> statement-breakpoint
CREATE TABLE "agencies" (
	"id" text PRIMARY KEY NOT NULL,
	"name_th" text NOT NULL,
	"name_en" text NOT NULL,
	"kind" "agency_kind" NOT NULL,
	"website" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agencies_id_format" CHECK ("agencies"."id" ~ '^[a-z0-9-]{2,40}$')
);
--> statement-breakpoint
CREATE TABLE "api_token_usage" (
	"token_id" uuid NOT NULL,
	"route" text NOT NULL,
	"day" date NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	"last_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_token_usage_token_id_route_day_pk" PRIMARY KEY("token_id","route","day")
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" text NOT NULL,
	"label" text NOT NULL,
	"token_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"scopes" text[] NOT NULL,
	"requests_per_minute" integer DEFAULT 600 NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" uuid,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "api_tokens_token_hash_unique" UNIQUE("token_hash"),
	CONSTRAINT "api_tokens_label_length" CHECK (char_length("api_tokens"."label") between 1 and 100),
	CONSTRAINT "api_tokens_scopes" CHECK (cardinality("api_tokens"."scopes") > 0 and "api_tokens"."scopes" <@ array['read', 'import', 'demands:write']::text[]),
	CONSTRAINT "api_tokens_rate" CHECK ("api_tokens"."requests_per_minute" between 1 and 100000)
);
--> statement-breakpoint
CREATE TABLE "referrals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"startup_id" uuid NOT NULL,
	"agency_id" text NOT NULL,
	"reason" "referral_reason" NOT NULL,
	"offer_id" uuid,
	"unit" "unit" NOT NULL,
	"quantity" numeric(16, 3) NOT NULL,
	"monthly_capacity" numeric(16, 3) NOT NULL,
	"value_thb" numeric(16, 2),
	"status" "referral_status" DEFAULT 'offered' NOT NULL,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "referrals_quantity_positive" CHECK ("referrals"."quantity" > 0),
	CONSTRAINT "referrals_capacity_non_negative" CHECK ("referrals"."monthly_capacity" >= 0)
);
--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "agency_id" text;--> statement-breakpoint
ALTER TABLE "api_token_usage" ADD CONSTRAINT "api_token_usage_token_id_api_tokens_id_fk" FOREIGN KEY ("token_id") REFERENCES "public"."api_tokens"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_revoked_by_users_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_startup_id_startups_id_fk" FOREIGN KEY ("startup_id") REFERENCES "public"."startups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_tokens_agency_idx" ON "api_tokens" USING btree ("agency_id");--> statement-breakpoint
CREATE INDEX "referrals_startup_idx" ON "referrals" USING btree ("startup_id");--> statement-breakpoint
CREATE INDEX "referrals_agency_idx" ON "referrals" USING btree ("agency_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "referrals_offer_agency_key" ON "referrals" USING btree ("offer_id","agency_id") WHERE "referrals"."offer_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "referrals_standing_key" ON "referrals" USING btree ("startup_id","agency_id","reason") WHERE "referrals"."offer_id" is null and "referrals"."status" <> 'dismissed';--> statement-breakpoint
ALTER TABLE "organisations" ADD CONSTRAINT "organisations_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "organisations_agency_idx" ON "organisations" USING btree ("agency_id");
CREATE TYPE "public"."demand_status" AS ENUM('draft', 'open', 'closed', 'fulfilled', 'expired', 'hidden');--> statement-breakpoint
CREATE TYPE "public"."locale" AS ENUM('th', 'en');--> statement-breakpoint
CREATE TYPE "public"."offer_status" AS ENUM('pending', 'accepted', 'declined', 'withdrawn');--> statement-breakpoint
CREATE TYPE "public"."organisation_kind" AS ENUM('startup', 'buyer');--> statement-breakpoint
CREATE TYPE "public"."outbox_op" AS ENUM('upsert', 'delete');--> statement-breakpoint
CREATE TYPE "public"."recurrence" AS ENUM('once', 'monthly');--> statement-breakpoint
CREATE TYPE "public"."region" AS ENUM('North', 'Northeast', 'Central', 'East', 'West', 'South');--> statement-breakpoint
CREATE TYPE "public"."review_decision" AS ENUM('approve', 'reject');--> statement-breakpoint
CREATE TYPE "public"."search_entity" AS ENUM('startup', 'demand');--> statement-breakpoint
CREATE TYPE "public"."startup_status" AS ENUM('draft', 'submitted', 'approved', 'rejected', 'suspended');--> statement-breakpoint
CREATE TYPE "public"."unit" AS ENUM('kg', 'tonne', 'litre', 'piece', 'box', 'pack', 'set', 'metre', 'square_metre');--> statement-breakpoint
CREATE TYPE "public"."user_role" AS ENUM('startup', 'buyer', 'officer', 'admin');--> statement-breakpoint
CREATE TYPE "public"."user_status" AS ENUM('active', 'suspended');--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"actor_id" uuid,
	"actor_label" text NOT NULL,
	"action" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"province_code" text,
	"before" jsonb,
	"after" jsonb,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "certifications" (
	"id" text PRIMARY KEY NOT NULL,
	"abbr_th" text NOT NULL,
	"abbr_en" text NOT NULL,
	"name_th" text NOT NULL,
	"name_en" text NOT NULL,
	"issuer_th" text NOT NULL,
	"issuer_en" text NOT NULL,
	"mandatory" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"offer_id" uuid NOT NULL,
	"demand_id" uuid NOT NULL,
	"quantity" numeric(16, 3) NOT NULL,
	"value_thb" numeric(16, 2) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deals_offer_id_unique" UNIQUE("offer_id"),
	CONSTRAINT "deals_quantity_positive" CHECK ("deals"."quantity" > 0),
	CONSTRAINT "deals_value_non_negative" CHECK ("deals"."value_thb" >= 0)
);
--> statement-breakpoint
CREATE TABLE "demand_certifications" (
	"demand_id" uuid NOT NULL,
	"certification_id" text NOT NULL,
	CONSTRAINT "demand_certifications_demand_id_certification_id_pk" PRIMARY KEY("demand_id","certification_id")
);
--> statement-breakpoint
CREATE TABLE "demands" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ref" text,
	"buyer_organisation_id" uuid NOT NULL,
	"created_by" uuid,
	"title_th" text,
	"title_en" text,
	"details_th" text,
	"details_en" text,
	"division_code" text NOT NULL,
	"quantity" numeric(16, 3) NOT NULL,
	"unit" "unit" NOT NULL,
	"recurrence" "recurrence" NOT NULL,
	"price_thb_max" numeric(14, 2),
	"delivery_province_code" text,
	"needed_by" date NOT NULL,
	"status" "demand_status" DEFAULT 'draft' NOT NULL,
	"max_offers" integer DEFAULT 10 NOT NULL,
	"hidden_reason" text,
	"attachment_path" text,
	"published_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "demands_ref_unique" UNIQUE("ref"),
	CONSTRAINT "demands_has_title" CHECK (coalesce("demands"."title_th", "demands"."title_en") is not null),
	CONSTRAINT "demands_quantity_positive" CHECK ("demands"."quantity" > 0),
	CONSTRAINT "demands_price_non_negative" CHECK ("demands"."price_thb_max" is null or "demands"."price_thb_max" >= 0),
	CONSTRAINT "demands_max_offers_range" CHECK ("demands"."max_offers" between 1 and 1000),
	CONSTRAINT "demands_hidden_has_reason" CHECK ("demands"."status" <> 'hidden' or char_length(coalesce("demands"."hidden_reason", '')) > 0),
	CONSTRAINT "demands_ref_format" CHECK ("demands"."ref" ~ '^[A-Za-z0-9._-]{1,64}$')
);
--> statement-breakpoint
CREATE TABLE "email_outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"to_address" text NOT NULL,
	"subject" text NOT NULL,
	"body_text" text NOT NULL,
	"locale" "locale" DEFAULT 'th' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"read_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "offers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"demand_id" uuid NOT NULL,
	"startup_id" uuid NOT NULL,
	"quantity" numeric(16, 3) NOT NULL,
	"unit_price_thb" numeric(14, 2) NOT NULL,
	"lead_time_days" integer NOT NULL,
	"message" text,
	"status" "offer_status" DEFAULT 'pending' NOT NULL,
	"decline_reason" text,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "offers_quantity_positive" CHECK ("offers"."quantity" > 0),
	CONSTRAINT "offers_price_non_negative" CHECK ("offers"."unit_price_thb" >= 0),
	CONSTRAINT "offers_lead_time_range" CHECK ("offers"."lead_time_days" between 0 and 3650)
);
--> statement-breakpoint
CREATE TABLE "organisations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "organisation_kind" NOT NULL,
	"name" text NOT NULL,
	"registration_number" text,
	"province_code" text,
	"contact_email" text,
	"phone" text,
	"website" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organisations_name_length" CHECK (char_length("organisations"."name") between 1 and 200)
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"startup_id" uuid NOT NULL,
	"name_th" text,
	"name_en" text,
	"unit" "unit" NOT NULL,
	"monthly_capacity" numeric(16, 3) NOT NULL,
	"price_thb_min" numeric(14, 2),
	"price_thb_max" numeric(14, 2),
	"division_code" text,
	"photo_path" text,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "products_has_name" CHECK (coalesce("products"."name_th", "products"."name_en") is not null),
	CONSTRAINT "products_capacity_positive" CHECK ("products"."monthly_capacity" > 0),
	CONSTRAINT "products_price_band" CHECK (("products"."price_thb_min" is null or "products"."price_thb_min" >= 0)
				and ("products"."price_thb_max" is null or "products"."price_thb_max" >= 0)
				and ("products"."price_thb_min" is null or "products"."price_thb_max" is null or "products"."price_thb_min" <= "products"."price_thb_max"))
);
--> statement-breakpoint
CREATE TABLE "province_selections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"province_code" text NOT NULL,
	"year" integer NOT NULL,
	"startup_id" uuid NOT NULL,
	"reason" text,
	"selected_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "province_selections_province_year_key" UNIQUE("province_code","year"),
	CONSTRAINT "province_selections_year_range" CHECK ("province_selections"."year" between 2020 and 2100)
);
--> statement-breakpoint
CREATE TABLE "provinces" (
	"code" text PRIMARY KEY NOT NULL,
	"dopa_code" text NOT NULL,
	"slug" text NOT NULL,
	"name_th" text NOT NULL,
	"name_en" text NOT NULL,
	"name_en_alt" text[] DEFAULT '{}'::text[] NOT NULL,
	"region" "region" NOT NULL,
	"has_industry_office" boolean NOT NULL,
	"centroid_lat" double precision,
	"centroid_lon" double precision,
	CONSTRAINT "provinces_dopa_code_unique" UNIQUE("dopa_code"),
	CONSTRAINT "provinces_slug_unique" UNIQUE("slug"),
	CONSTRAINT "provinces_code_format" CHECK ("provinces"."code" ~ '^TH-[0-9]{2}$')
);
--> statement-breakpoint
CREATE TABLE "reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"startup_id" uuid NOT NULL,
	"reviewer_id" uuid,
	"market_score" smallint NOT NULL,
	"innovation_score" smallint NOT NULL,
	"readiness_score" smallint NOT NULL,
	"compliance_score" smallint NOT NULL,
	"comments" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"decision" "review_decision" NOT NULL,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reviews_scores_range" CHECK ("reviews"."market_score" between 0 and 5 and "reviews"."innovation_score" between 0 and 5
				and "reviews"."readiness_score" between 0 and 5 and "reviews"."compliance_score" between 0 and 5),
	CONSTRAINT "reviews_reject_has_reason" CHECK ("reviews"."decision" <> 'reject' or char_length(coalesce("reviews"."reason", '')) > 0)
);
--> statement-breakpoint
CREATE TABLE "s_curve_industries" (
	"id" text PRIMARY KEY NOT NULL,
	"wave" text NOT NULL,
	"name_th" text NOT NULL,
	"name_en" text NOT NULL,
	"suggested_tsic" text[] DEFAULT '{}'::text[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "search_outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"entity" "search_entity" NOT NULL,
	"entity_id" uuid NOT NULL,
	"op" "outbox_op" NOT NULL,
	"enqueued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"available_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"user_agent" text,
	"ip_address" text
);
--> statement-breakpoint
CREATE TABLE "startup_certifications" (
	"startup_id" uuid NOT NULL,
	"certification_id" text NOT NULL,
	"certificate_number" text,
	"expires_on" date,
	CONSTRAINT "startup_certifications_startup_id_certification_id_pk" PRIMARY KEY("startup_id","certification_id")
);
--> statement-breakpoint
CREATE TABLE "startup_divisions" (
	"startup_id" uuid NOT NULL,
	"division_code" text NOT NULL,
	CONSTRAINT "startup_divisions_startup_id_division_code_pk" PRIMARY KEY("startup_id","division_code")
);
--> statement-breakpoint
CREATE TABLE "startups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ref" text,
	"organisation_id" uuid NOT NULL,
	"province_code" text NOT NULL,
	"slug" text NOT NULL,
	"name_th" text,
	"name_en" text,
	"summary_th" text,
	"summary_en" text,
	"status" "startup_status" DEFAULT 'draft' NOT NULL,
	"contact_email" text,
	"phone" text,
	"website" text,
	"logo_path" text,
	"approved_snapshot" jsonb,
	"submitted_at" timestamp with time zone,
	"approved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "startups_ref_unique" UNIQUE("ref"),
	CONSTRAINT "startups_organisation_id_unique" UNIQUE("organisation_id"),
	CONSTRAINT "startups_slug_unique" UNIQUE("slug"),
	CONSTRAINT "startups_id_province_key" UNIQUE("id","province_code"),
	CONSTRAINT "startups_has_name" CHECK (coalesce("startups"."name_th", "startups"."name_en") is not null),
	CONSTRAINT "startups_name_length" CHECK (char_length(coalesce("startups"."name_th", '')) <= 200 and char_length(coalesce("startups"."name_en", '')) <= 200),
	CONSTRAINT "startups_summary_length" CHECK (char_length(coalesce("startups"."summary_th", '')) <= 5000 and char_length(coalesce("startups"."summary_en", '')) <= 5000),
	CONSTRAINT "startups_ref_format" CHECK ("startups"."ref" ~ '^[A-Za-z0-9._-]{1,64}$')
);
--> statement-breakpoint
CREATE TABLE "tsic_divisions" (
	"code" text PRIMARY KEY NOT NULL,
	"section_code" text NOT NULL,
	"name_th" text NOT NULL,
	"name_en" text NOT NULL,
	CONSTRAINT "tsic_divisions_code_format" CHECK ("tsic_divisions"."code" ~ '^[0-9]{2}$')
);
--> statement-breakpoint
CREATE TABLE "tsic_sections" (
	"code" text PRIMARY KEY NOT NULL,
	"division_range" text NOT NULL,
	"name_th" text NOT NULL,
	"name_en" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"email_verified_at" timestamp with time zone,
	"password_hash" text,
	"role" "user_role" NOT NULL,
	"status" "user_status" DEFAULT 'active' NOT NULL,
	"locale" "locale" DEFAULT 'th' NOT NULL,
	"display_name" text,
	"province_code" text,
	"organisation_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_officer_has_province" CHECK (("users"."role" = 'officer') = ("users"."province_code" is not null)),
	CONSTRAINT "users_member_has_organisation" CHECK ("users"."role" not in ('startup', 'buyer') or "users"."organisation_id" is not null)
);
--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_province_code_provinces_code_fk" FOREIGN KEY ("province_code") REFERENCES "public"."provinces"("code") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deals" ADD CONSTRAINT "deals_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deals" ADD CONSTRAINT "deals_demand_id_demands_id_fk" FOREIGN KEY ("demand_id") REFERENCES "public"."demands"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "demand_certifications" ADD CONSTRAINT "demand_certifications_demand_id_demands_id_fk" FOREIGN KEY ("demand_id") REFERENCES "public"."demands"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "demand_certifications" ADD CONSTRAINT "demand_certifications_certification_id_certifications_id_fk" FOREIGN KEY ("certification_id") REFERENCES "public"."certifications"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "demands" ADD CONSTRAINT "demands_buyer_organisation_id_organisations_id_fk" FOREIGN KEY ("buyer_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "demands" ADD CONSTRAINT "demands_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "demands" ADD CONSTRAINT "demands_division_code_tsic_divisions_code_fk" FOREIGN KEY ("division_code") REFERENCES "public"."tsic_divisions"("code") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "demands" ADD CONSTRAINT "demands_delivery_province_code_provinces_code_fk" FOREIGN KEY ("delivery_province_code") REFERENCES "public"."provinces"("code") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_demand_id_demands_id_fk" FOREIGN KEY ("demand_id") REFERENCES "public"."demands"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_startup_id_startups_id_fk" FOREIGN KEY ("startup_id") REFERENCES "public"."startups"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisations" ADD CONSTRAINT "organisations_province_code_provinces_code_fk" FOREIGN KEY ("province_code") REFERENCES "public"."provinces"("code") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_startup_id_startups_id_fk" FOREIGN KEY ("startup_id") REFERENCES "public"."startups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_division_code_tsic_divisions_code_fk" FOREIGN KEY ("division_code") REFERENCES "public"."tsic_divisions"("code") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "province_selections" ADD CONSTRAINT "province_selections_province_code_provinces_code_fk" FOREIGN KEY ("province_code") REFERENCES "public"."provinces"("code") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "province_selections" ADD CONSTRAINT "province_selections_selected_by_users_id_fk" FOREIGN KEY ("selected_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "province_selections" ADD CONSTRAINT "province_selections_startup_in_province_fk" FOREIGN KEY ("startup_id","province_code") REFERENCES "public"."startups"("id","province_code") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_startup_id_startups_id_fk" FOREIGN KEY ("startup_id") REFERENCES "public"."startups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_reviewer_id_users_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "startup_certifications" ADD CONSTRAINT "startup_certifications_startup_id_startups_id_fk" FOREIGN KEY ("startup_id") REFERENCES "public"."startups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "startup_certifications" ADD CONSTRAINT "startup_certifications_certification_id_certifications_id_fk" FOREIGN KEY ("certification_id") REFERENCES "public"."certifications"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "startup_divisions" ADD CONSTRAINT "startup_divisions_startup_id_startups_id_fk" FOREIGN KEY ("startup_id") REFERENCES "public"."startups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "startup_divisions" ADD CONSTRAINT "startup_divisions_division_code_tsic_divisions_code_fk" FOREIGN KEY ("division_code") REFERENCES "public"."tsic_divisions"("code") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "startups" ADD CONSTRAINT "startups_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "startups" ADD CONSTRAINT "startups_province_code_provinces_code_fk" FOREIGN KEY ("province_code") REFERENCES "public"."provinces"("code") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tsic_divisions" ADD CONSTRAINT "tsic_divisions_section_code_tsic_sections_code_fk" FOREIGN KEY ("section_code") REFERENCES "public"."tsic_sections"("code") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_province_code_provinces_code_fk" FOREIGN KEY ("province_code") REFERENCES "public"."provinces"("code") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_events_subject_idx" ON "audit_events" USING btree ("subject_type","subject_id");--> statement-breakpoint
CREATE INDEX "audit_events_province_idx" ON "audit_events" USING btree ("province_code","at");--> statement-breakpoint
CREATE INDEX "demands_status_idx" ON "demands" USING btree ("status");--> statement-breakpoint
CREATE INDEX "demands_delivery_province_idx" ON "demands" USING btree ("delivery_province_code");--> statement-breakpoint
CREATE INDEX "demands_buyer_idx" ON "demands" USING btree ("buyer_organisation_id");--> statement-breakpoint
CREATE INDEX "email_outbox_unsent_idx" ON "email_outbox" USING btree ("sent_at","created_at");--> statement-breakpoint
CREATE INDEX "notifications_user_idx" ON "notifications" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "offers_one_live_per_startup_key" ON "offers" USING btree ("demand_id","startup_id") WHERE "offers"."status" in ('pending', 'accepted');--> statement-breakpoint
CREATE INDEX "offers_startup_idx" ON "offers" USING btree ("startup_id");--> statement-breakpoint
CREATE UNIQUE INDEX "organisations_registration_number_key" ON "organisations" USING btree ("registration_number") WHERE "organisations"."registration_number" is not null;--> statement-breakpoint
CREATE INDEX "products_startup_id_idx" ON "products" USING btree ("startup_id");--> statement-breakpoint
CREATE INDEX "reviews_startup_id_idx" ON "reviews" USING btree ("startup_id");--> statement-breakpoint
CREATE INDEX "search_outbox_available_idx" ON "search_outbox" USING btree ("available_at","id");--> statement-breakpoint
CREATE INDEX "sessions_user_id_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "startups_province_status_idx" ON "startups" USING btree ("province_code","status");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_lower_key" ON "users" USING btree (lower("email"));
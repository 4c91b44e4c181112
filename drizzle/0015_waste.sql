CREATE TYPE "public"."material_want_status" AS ENUM('open', 'closed');--> statement-breakpoint
CREATE TYPE "public"."permit_step" AS ENUM('removal_permit', 'licensed_receiver', 'transport_manifest');--> statement-breakpoint
CREATE TYPE "public"."permit_step_status" AS ENUM('todo', 'done', 'not_needed');--> statement-breakpoint
CREATE TYPE "public"."waste_agreement_status" AS ENUM('proposed', 'agreed', 'declined', 'withdrawn');--> statement-breakpoint
CREATE TYPE "public"."waste_handling" AS ENUM('landfill', 'incineration', 'sold', 'given_away', 'stored');--> statement-breakpoint
CREATE TYPE "public"."waste_lot_status" AS ENUM('draft', 'submitted', 'approved', 'rejected', 'withdrawn');--> statement-breakpoint
CREATE TYPE "public"."waste_transfer_status" AS ENUM('recorded', 'confirmed');--> statement-breakpoint
CREATE TYPE "public"."waste_unit" AS ENUM('kg', 'tonne', 'litre', 'cubic_metre');--> statement-breakpoint
CREATE TABLE "material_wants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ref" text,
	"organisation_id" uuid NOT NULL,
	"created_by" uuid,
	"province_code" text NOT NULL,
	"name_th" text,
	"name_en" text,
	"waste_codes" text[] NOT NULL,
	"quantity_per_month" numeric(16, 3) NOT NULL,
	"unit" "waste_unit" NOT NULL,
	"max_distance_km" integer NOT NULL,
	"price_thb" numeric(14, 2),
	"licence_class" text,
	"licence_number" text,
	"status" "material_want_status" DEFAULT 'open' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "material_wants_ref_unique" UNIQUE("ref"),
	CONSTRAINT "material_wants_has_name" CHECK (coalesce("material_wants"."name_th", "material_wants"."name_en") is not null),
	CONSTRAINT "material_wants_name_length" CHECK (char_length(coalesce("material_wants"."name_th", '')) <= 200 and char_length(coalesce("material_wants"."name_en", '')) <= 200),
	CONSTRAINT "material_wants_codes_count" CHECK (cardinality("material_wants"."waste_codes") between 1 and 30),
	CONSTRAINT "material_wants_quantity_positive" CHECK ("material_wants"."quantity_per_month" > 0),
	CONSTRAINT "material_wants_distance_range" CHECK ("material_wants"."max_distance_km" between 1 and 2000),
	CONSTRAINT "material_wants_licence_class_format" CHECK ("material_wants"."licence_class" ~ '^[0-9]{3}$'),
	CONSTRAINT "material_wants_ref_format" CHECK ("material_wants"."ref" ~ '^[A-Za-z0-9._-]{1,64}$')
);
--> statement-breakpoint
CREATE TABLE "waste_agreements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"lot_id" uuid NOT NULL,
	"want_id" uuid NOT NULL,
	"proposed_by_organisation_id" uuid NOT NULL,
	"status" "waste_agreement_status" DEFAULT 'proposed' NOT NULL,
	"distance_km" integer NOT NULL,
	"agreed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "waste_agreements_distance_non_negative" CHECK ("waste_agreements"."distance_km" >= 0)
);
--> statement-breakpoint
CREATE TABLE "waste_lots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ref" text,
	"organisation_id" uuid NOT NULL,
	"created_by" uuid,
	"province_code" text NOT NULL,
	"name_th" text,
	"name_en" text,
	"waste_code" text NOT NULL,
	"hazardous" boolean NOT NULL,
	"quantity_per_month" numeric(16, 3) NOT NULL,
	"unit" "waste_unit" NOT NULL,
	"handling" "waste_handling" NOT NULL,
	"price_thb" numeric(14, 2),
	"available_now" boolean DEFAULT true NOT NULL,
	"status" "waste_lot_status" DEFAULT 'draft' NOT NULL,
	"reject_reason" text,
	"submitted_at" timestamp with time zone,
	"approved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "waste_lots_ref_unique" UNIQUE("ref"),
	CONSTRAINT "waste_lots_has_name" CHECK (coalesce("waste_lots"."name_th", "waste_lots"."name_en") is not null),
	CONSTRAINT "waste_lots_name_length" CHECK (char_length(coalesce("waste_lots"."name_th", '')) <= 200 and char_length(coalesce("waste_lots"."name_en", '')) <= 200),
	CONSTRAINT "waste_lots_code_format" CHECK ("waste_lots"."waste_code" ~ '^[0-9]{6}$'),
	CONSTRAINT "waste_lots_quantity_positive" CHECK ("waste_lots"."quantity_per_month" > 0),
	CONSTRAINT "waste_lots_reject_has_reason" CHECK ("waste_lots"."status" <> 'rejected' or char_length(coalesce("waste_lots"."reject_reason", '')) > 0),
	CONSTRAINT "waste_lots_ref_format" CHECK ("waste_lots"."ref" ~ '^[A-Za-z0-9._-]{1,64}$')
);
--> statement-breakpoint
CREATE TABLE "waste_permit_steps" (
	"agreement_id" uuid NOT NULL,
	"step" "permit_step" NOT NULL,
	"position" smallint NOT NULL,
	"status" "permit_step_status" DEFAULT 'todo' NOT NULL,
	"reference" text,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "waste_permit_steps_agreement_id_step_pk" PRIMARY KEY("agreement_id","step"),
	CONSTRAINT "waste_permit_steps_reference_length" CHECK (char_length(coalesce("waste_permit_steps"."reference", '')) <= 500)
);
--> statement-breakpoint
CREATE TABLE "waste_settings" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"transport_thb_per_tonne_km" numeric(10, 2) NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "waste_settings_single_row" CHECK ("waste_settings"."id" = 1),
	CONSTRAINT "waste_settings_rate_non_negative" CHECK ("waste_settings"."transport_thb_per_tonne_km" >= 0)
);
--> statement-breakpoint
CREATE TABLE "waste_transfers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agreement_id" uuid NOT NULL,
	"transferred_on" date NOT NULL,
	"quantity" numeric(16, 3) NOT NULL,
	"unit" "waste_unit" NOT NULL,
	"receiver_licence" text,
	"value_thb" numeric(14, 2),
	"status" "waste_transfer_status" DEFAULT 'recorded' NOT NULL,
	"recorded_by" uuid,
	"confirmed_by" uuid,
	"confirmed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "waste_transfers_quantity_positive" CHECK ("waste_transfers"."quantity" > 0),
	CONSTRAINT "waste_transfers_confirmed" CHECK (("waste_transfers"."status" = 'confirmed') = ("waste_transfers"."confirmed_at" is not null))
);
--> statement-breakpoint
ALTER TABLE "material_wants" ADD CONSTRAINT "material_wants_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "material_wants" ADD CONSTRAINT "material_wants_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "material_wants" ADD CONSTRAINT "material_wants_province_code_provinces_code_fk" FOREIGN KEY ("province_code") REFERENCES "public"."provinces"("code") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waste_agreements" ADD CONSTRAINT "waste_agreements_lot_id_waste_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."waste_lots"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waste_agreements" ADD CONSTRAINT "waste_agreements_want_id_material_wants_id_fk" FOREIGN KEY ("want_id") REFERENCES "public"."material_wants"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waste_agreements" ADD CONSTRAINT "waste_agreements_proposed_by_organisation_id_organisations_id_fk" FOREIGN KEY ("proposed_by_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waste_lots" ADD CONSTRAINT "waste_lots_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waste_lots" ADD CONSTRAINT "waste_lots_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waste_lots" ADD CONSTRAINT "waste_lots_province_code_provinces_code_fk" FOREIGN KEY ("province_code") REFERENCES "public"."provinces"("code") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waste_permit_steps" ADD CONSTRAINT "waste_permit_steps_agreement_id_waste_agreements_id_fk" FOREIGN KEY ("agreement_id") REFERENCES "public"."waste_agreements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waste_permit_steps" ADD CONSTRAINT "waste_permit_steps_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waste_settings" ADD CONSTRAINT "waste_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waste_transfers" ADD CONSTRAINT "waste_transfers_agreement_id_waste_agreements_id_fk" FOREIGN KEY ("agreement_id") REFERENCES "public"."waste_agreements"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waste_transfers" ADD CONSTRAINT "waste_transfers_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waste_transfers" ADD CONSTRAINT "waste_transfers_confirmed_by_users_id_fk" FOREIGN KEY ("confirmed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "material_wants_organisation_idx" ON "material_wants" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "material_wants_codes_idx" ON "material_wants" USING gin ("waste_codes") WHERE "material_wants"."status" = 'open';--> statement-breakpoint
CREATE UNIQUE INDEX "waste_agreements_one_live_key" ON "waste_agreements" USING btree ("lot_id","want_id") WHERE "waste_agreements"."status" in ('proposed', 'agreed');--> statement-breakpoint
CREATE INDEX "waste_agreements_want_idx" ON "waste_agreements" USING btree ("want_id");--> statement-breakpoint
CREATE INDEX "waste_lots_organisation_idx" ON "waste_lots" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "waste_lots_province_status_idx" ON "waste_lots" USING btree ("province_code","status");--> statement-breakpoint
CREATE INDEX "waste_lots_code_idx" ON "waste_lots" USING btree ("waste_code") WHERE "waste_lots"."status" = 'approved';--> statement-breakpoint
CREATE INDEX "waste_transfers_agreement_idx" ON "waste_transfers" USING btree ("agreement_id");
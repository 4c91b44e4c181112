CREATE TYPE "public"."waste_lot_file_kind" AS ENUM('photo', 'document');--> statement-breakpoint
CREATE TABLE "waste_lot_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"lot_id" uuid NOT NULL,
	"kind" "waste_lot_file_kind" NOT NULL,
	"path" text NOT NULL,
	"name" text NOT NULL,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "waste_lot_files_name_length" CHECK (char_length("waste_lot_files"."name") between 1 and 200)
);
--> statement-breakpoint
ALTER TABLE "api_tokens" DROP CONSTRAINT "api_tokens_scopes";--> statement-breakpoint
ALTER TABLE "material_wants" ADD COLUMN "idle_reminded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "waste_lots" ADD COLUMN "available_until" date;--> statement-breakpoint
ALTER TABLE "waste_lots" ADD COLUMN "ending_reminded_for" date;--> statement-breakpoint
ALTER TABLE "waste_lot_files" ADD CONSTRAINT "waste_lot_files_lot_id_waste_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."waste_lots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waste_lot_files" ADD CONSTRAINT "waste_lot_files_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "waste_lot_files_lot_idx" ON "waste_lot_files" USING btree ("lot_id");--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_scopes" CHECK (cardinality("api_tokens"."scopes") > 0 and "api_tokens"."scopes" <@ array['read', 'import', 'import:publish', 'demands:write', 'waste:write']::text[]);
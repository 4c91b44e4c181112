ALTER TABLE "api_tokens" DROP CONSTRAINT "api_tokens_scopes";--> statement-breakpoint
ALTER TABLE "material_wants" ADD COLUMN "idle_reminded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "waste_lots" ADD COLUMN "available_until" date;--> statement-breakpoint
ALTER TABLE "waste_lots" ADD COLUMN "ending_reminded_for" date;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_scopes" CHECK (cardinality("api_tokens"."scopes") > 0 and "api_tokens"."scopes" <@ array['read', 'import', 'import:publish', 'demands:write', 'waste:write']::text[]);
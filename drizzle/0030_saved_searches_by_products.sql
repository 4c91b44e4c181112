ALTER TYPE "public"."saved_search_source" ADD VALUE 'waste';--> statement-breakpoint
ALTER TABLE "saved_search_hits" DROP CONSTRAINT "saved_search_hits_entity";--> statement-breakpoint
ALTER TABLE "saved_search_hits" ADD CONSTRAINT "saved_search_hits_entity" CHECK ("saved_search_hits"."entity" in ('startup', 'demand', 'waste_lot'));
ALTER TYPE "public"."search_entity" ADD VALUE 'waste_lot';--> statement-breakpoint
ALTER TYPE "public"."search_entity" ADD VALUE 'material_want';
CREATE TABLE "demand_coverage" (
	"demand_id" uuid PRIMARY KEY NOT NULL,
	"good_matches" integer NOT NULL,
	"best_score" double precision,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "demand_matches" (
	"demand_id" uuid NOT NULL,
	"startup_id" uuid NOT NULL,
	"score" double precision NOT NULL,
	CONSTRAINT "demand_matches_demand_id_startup_id_pk" PRIMARY KEY("demand_id","startup_id")
);
--> statement-breakpoint
CREATE TABLE "job_state" (
	"name" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "search_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"query" text NOT NULL,
	"locale" "locale" NOT NULL,
	"result_count" integer NOT NULL,
	"engine" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "search_log_query_length" CHECK (char_length("search_log"."query") between 1 and 200),
	CONSTRAINT "search_log_result_count" CHECK ("search_log"."result_count" >= 0)
);
--> statement-breakpoint
ALTER TABLE "demand_coverage" ADD CONSTRAINT "demand_coverage_demand_id_demands_id_fk" FOREIGN KEY ("demand_id") REFERENCES "public"."demands"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "demand_matches" ADD CONSTRAINT "demand_matches_demand_id_demands_id_fk" FOREIGN KEY ("demand_id") REFERENCES "public"."demands"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "demand_matches" ADD CONSTRAINT "demand_matches_startup_id_startups_id_fk" FOREIGN KEY ("startup_id") REFERENCES "public"."startups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "demand_matches_startup_idx" ON "demand_matches" USING btree ("startup_id");--> statement-breakpoint
CREATE INDEX "search_log_created_idx" ON "search_log" USING btree ("created_at");
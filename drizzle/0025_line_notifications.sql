CREATE TABLE "line_channel_state" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"last_success_at" timestamp with time zone,
	"last_error_at" timestamp with time zone,
	"last_error" text,
	CONSTRAINT "line_channel_state_single_row" CHECK ("line_channel_state"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "line_followers" (
	"line_user_id" text PRIMARY KEY NOT NULL,
	"following" boolean NOT NULL,
	"changed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "line_notification_consents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"notice_version" text NOT NULL,
	"given_at" timestamp with time zone DEFAULT now() NOT NULL,
	"withdrawn_at" timestamp with time zone,
	CONSTRAINT "line_notification_consents_order" CHECK ("line_notification_consents"."withdrawn_at" is null or "line_notification_consents"."withdrawn_at" >= "line_notification_consents"."given_at")
);
--> statement-breakpoint
CREATE TABLE "line_notification_settings" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"topics" text[] DEFAULT '{}'::text[] NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "line_outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"line_user_id" text NOT NULL,
	"kind" text NOT NULL,
	"text" text NOT NULL,
	"locale" "locale" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"last_failed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "line_notification_consents" ADD CONSTRAINT "line_notification_consents_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "line_notification_settings" ADD CONSTRAINT "line_notification_settings_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "line_outbox" ADD CONSTRAINT "line_outbox_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "line_notification_consents_user_idx" ON "line_notification_consents" USING btree ("user_id","given_at");--> statement-breakpoint
CREATE UNIQUE INDEX "line_notification_consents_open_key" ON "line_notification_consents" USING btree ("user_id") WHERE "line_notification_consents"."withdrawn_at" is null;--> statement-breakpoint
CREATE INDEX "line_outbox_due_idx" ON "line_outbox" USING btree ("next_attempt_at") WHERE "line_outbox"."sent_at" is null;--> statement-breakpoint
CREATE INDEX "line_outbox_failed_idx" ON "line_outbox" USING btree ("last_failed_at");
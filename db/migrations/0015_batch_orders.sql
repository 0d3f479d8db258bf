CREATE TYPE "public"."batch_line_status" AS ENUM('pending', 'ordered', 'rejected');--> statement-breakpoint
CREATE TABLE "batch_lines" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "batch_lines_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"batch_id" bigint NOT NULL,
	"line_no" integer NOT NULL,
	"receiver" text NOT NULL,
	"energy" text NOT NULL,
	"duration" text NOT NULL,
	"status" "batch_line_status" DEFAULT 'pending' NOT NULL,
	"order_id" bigint,
	"error_code" text,
	"error_message" text,
	"error_details" jsonb,
	CONSTRAINT "batch_lines_ordered_has_order" CHECK (("batch_lines"."status" = 'ordered') = ("batch_lines"."order_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "batches" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "batches_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1001 CACHE 1),
	"user_id" integer NOT NULL,
	"source" "order_source" NOT NULL,
	"idempotency_key" text NOT NULL,
	"fingerprint" text NOT NULL,
	"api_key_id" integer,
	"line_count" integer NOT NULL,
	"ordered_count" integer DEFAULT 0 NOT NULL,
	"rejected_count" integer DEFAULT 0 NOT NULL,
	"total_energy" bigint DEFAULT 0 NOT NULL,
	"total_price_sun" bigint DEFAULT 0 NOT NULL,
	"telegram_chat_id" bigint,
	"telegram_message_id" integer,
	"claimed_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"placed_at" timestamp with time zone,
	CONSTRAINT "batches_line_count_positive" CHECK ("batches"."line_count" > 0)
);
--> statement-breakpoint
ALTER TABLE "batch_lines" ADD CONSTRAINT "batch_lines_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."batches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_lines" ADD CONSTRAINT "batch_lines_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batches" ADD CONSTRAINT "batches_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "batch_lines_batch_line_uq" ON "batch_lines" USING btree ("batch_id","line_no");--> statement-breakpoint
CREATE INDEX "batch_lines_order_idx" ON "batch_lines" USING btree ("order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "batches_user_idempotency_uq" ON "batches" USING btree ("user_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "batches_user_created_idx" ON "batches" USING btree ("user_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "batches_created_idx" ON "batches" USING btree ("created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "batches_unplaced_idx" ON "batches" USING btree ("created_at") WHERE "batches"."placed_at" is null;
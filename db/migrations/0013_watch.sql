CREATE TYPE "public"."subscription_status" AS ENUM('active', 'paused', 'exhausted', 'ended', 'cancelled');--> statement-breakpoint
CREATE TABLE "energy_subscriptions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "energy_subscriptions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"user_id" integer NOT NULL,
	"address" text NOT NULL,
	"min_energy" bigint NOT NULL,
	"budget_sun" bigint NOT NULL,
	"status" "subscription_status" DEFAULT 'active' NOT NULL,
	"source" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"low_balance_warned_at" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "energy_subscriptions_positive" CHECK ("energy_subscriptions"."min_energy" > 0 and "energy_subscriptions"."budget_sun" > 0)
);
--> statement-breakpoint
CREATE TABLE "watched_addresses" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "watched_addresses_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"address" text NOT NULL,
	"hex" text NOT NULL,
	"dirty" boolean DEFAULT true NOT NULL,
	"last_sent_block" bigint,
	"energy_available" bigint,
	"checked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "watched_addresses_address_unique" UNIQUE("address"),
	CONSTRAINT "watched_addresses_hex_unique" UNIQUE("hex")
);
--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "subscription_id" integer;--> statement-breakpoint
ALTER TABLE "energy_subscriptions" ADD CONSTRAINT "energy_subscriptions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "energy_subscriptions_user_key_uq" ON "energy_subscriptions" USING btree ("user_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "energy_subscriptions_user_idx" ON "energy_subscriptions" USING btree ("user_id","id");--> statement-breakpoint
CREATE INDEX "energy_subscriptions_address_idx" ON "energy_subscriptions" USING btree ("address") WHERE "energy_subscriptions"."status" = 'active';--> statement-breakpoint
CREATE INDEX "energy_subscriptions_status_idx" ON "energy_subscriptions" USING btree ("status","id");--> statement-breakpoint
CREATE INDEX "watched_addresses_dirty_idx" ON "watched_addresses" USING btree ("id") WHERE "watched_addresses"."dirty";--> statement-breakpoint
CREATE INDEX "watched_addresses_checked_idx" ON "watched_addresses" USING btree ("checked_at");--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_subscription_id_energy_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."energy_subscriptions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "orders_subscription_idx" ON "orders" USING btree ("subscription_id","status") WHERE "orders"."subscription_id" is not null;
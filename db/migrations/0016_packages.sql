CREATE TYPE "public"."package_status" AS ENUM('active', 'completed', 'expired');--> statement-breakpoint
CREATE TABLE "package_uses" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "package_uses_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"package_id" integer NOT NULL,
	"txid" text NOT NULL,
	"block_number" bigint NOT NULL,
	"energy_used" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "package_uses_txid_unique" UNIQUE("txid")
);
--> statement-breakpoint
CREATE TABLE "transfer_packages" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "transfer_packages_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"user_id" integer NOT NULL,
	"address" text NOT NULL,
	"transfers" integer NOT NULL,
	"price_sun" bigint NOT NULL,
	"refund_percent" integer NOT NULL,
	"status" "package_status" DEFAULT 'active' NOT NULL,
	"source" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"refunded_sun" bigint DEFAULT 0 NOT NULL,
	"end_notified_at" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "transfer_packages_positive" CHECK ("transfer_packages"."transfers" > 0 and "transfer_packages"."price_sun" > 0 and "transfer_packages"."refund_percent" between 0 and 100)
);
--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "package_id" integer;--> statement-breakpoint
ALTER TABLE "package_uses" ADD CONSTRAINT "package_uses_package_id_transfer_packages_id_fk" FOREIGN KEY ("package_id") REFERENCES "public"."transfer_packages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_packages" ADD CONSTRAINT "transfer_packages_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "package_uses_package_idx" ON "package_uses" USING btree ("package_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "transfer_packages_user_key_uq" ON "transfer_packages" USING btree ("user_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "transfer_packages_user_idx" ON "transfer_packages" USING btree ("user_id","id");--> statement-breakpoint
CREATE INDEX "transfer_packages_address_idx" ON "transfer_packages" USING btree ("address") WHERE "transfer_packages"."status" = 'active';--> statement-breakpoint
CREATE INDEX "transfer_packages_status_idx" ON "transfer_packages" USING btree ("status","id");--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_package_id_transfer_packages_id_fk" FOREIGN KEY ("package_id") REFERENCES "public"."transfer_packages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "orders_package_idx" ON "orders" USING btree ("package_id","status") WHERE "orders"."package_id" is not null;
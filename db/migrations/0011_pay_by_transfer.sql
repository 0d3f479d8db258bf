CREATE TYPE "public"."rental_transfer_status" AS ENUM('pending', 'delivering', 'delivered', 'refunding', 'refunded', 'credited', 'kept', 'failed', 'vanished');--> statement-breakpoint
ALTER TYPE "public"."order_source" ADD VALUE 'transfer';--> statement-breakpoint
CREATE TABLE "rental_transfers" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "rental_transfers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"txid" text NOT NULL,
	"log_index" integer NOT NULL,
	"from_address" text NOT NULL,
	"origin_address" text NOT NULL,
	"sender_is_contract" boolean DEFAULT false NOT NULL,
	"amount_sun" bigint NOT NULL,
	"block_number" bigint NOT NULL,
	"block_time" timestamp with time zone,
	"status" "rental_transfer_status" DEFAULT 'pending' NOT NULL,
	"energy" bigint,
	"duration_key" text,
	"order_id" bigint,
	"refund_reason" text,
	"refund_to" text,
	"refund_sun" bigint,
	"fee_sun" bigint,
	"refund_txid" text,
	"refund_signed_tx" jsonb,
	"credited_user_id" integer,
	"ledger_entry_id" bigint,
	"lost_sun" bigint,
	"error" text,
	"head_seen_at" timestamp with time zone,
	"solidified_at" timestamp with time zone,
	"settled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rental_transfers_amount_positive" CHECK ("rental_transfers"."amount_sun" > 0)
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "system_account" text;--> statement-breakpoint
ALTER TABLE "rental_transfers" ADD CONSTRAINT "rental_transfers_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rental_transfers" ADD CONSTRAINT "rental_transfers_credited_user_id_users_id_fk" FOREIGN KEY ("credited_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rental_transfers" ADD CONSTRAINT "rental_transfers_ledger_entry_id_ledger_entries_id_fk" FOREIGN KEY ("ledger_entry_id") REFERENCES "public"."ledger_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "rental_transfers_tx_uq" ON "rental_transfers" USING btree ("txid","log_index");--> statement-breakpoint
CREATE UNIQUE INDEX "rental_transfers_order_uq" ON "rental_transfers" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "rental_transfers_status_idx" ON "rental_transfers" USING btree ("status","block_number");--> statement-breakpoint
CREATE INDEX "rental_transfers_created_idx" ON "rental_transfers" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "rental_transfers_from_idx" ON "rental_transfers" USING btree ("from_address");--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_system_account_unique" UNIQUE("system_account");
CREATE TYPE "public"."supplier_payout_status" AS ENUM('pending', 'approved', 'signed', 'broadcast', 'confirmed', 'rejected', 'failed');--> statement-breakpoint
ALTER TYPE "public"."ledger_type" ADD VALUE 'supplier_earning';--> statement-breakpoint
ALTER TYPE "public"."ledger_type" ADD VALUE 'supplier_payout';--> statement-breakpoint
ALTER TYPE "public"."ledger_type" ADD VALUE 'supplier_payout_return';--> statement-breakpoint
CREATE TABLE "supplier_earnings" (
	"delegation_id" bigint PRIMARY KEY NOT NULL,
	"order_id" bigint NOT NULL,
	"supplier_user_id" integer NOT NULL,
	"supplier_wallet_id" integer NOT NULL,
	"energy" bigint NOT NULL,
	"gross_sun" bigint NOT NULL,
	"commission_bps" integer NOT NULL,
	"commission_sun" bigint NOT NULL,
	"earning_sun" bigint NOT NULL,
	"credit_entry_id" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "supplier_earnings_amounts" CHECK ("supplier_earnings"."earning_sun" > 0 and "supplier_earnings"."commission_sun" >= 0 and "supplier_earnings"."gross_sun" = "supplier_earnings"."earning_sun" + "supplier_earnings"."commission_sun")
);
--> statement-breakpoint
CREATE TABLE "supplier_payouts" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "supplier_payouts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"supplier_user_id" integer NOT NULL,
	"amount_sun" bigint NOT NULL,
	"to_address" text NOT NULL,
	"status" "supplier_payout_status" DEFAULT 'pending' NOT NULL,
	"automatic" boolean DEFAULT false NOT NULL,
	"debit_entry_id" bigint,
	"return_entry_id" bigint,
	"attempt" integer DEFAULT 0 NOT NULL,
	"signed_tx" jsonb,
	"txid" text,
	"tx_expires_at" timestamp with time zone,
	"block_number" bigint,
	"decided_by_admin_id" integer,
	"decided_at" timestamp with time zone,
	"reason" text,
	"error" text,
	"confirmed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "supplier_payouts_txid_unique" UNIQUE("txid"),
	CONSTRAINT "supplier_payouts_amount_positive" CHECK ("supplier_payouts"."amount_sun" > 0)
);
--> statement-breakpoint
CREATE TABLE "supplier_profiles" (
	"user_id" integer PRIMARY KEY NOT NULL,
	"min_price_sun_per_energy_day" bigint DEFAULT 0 NOT NULL,
	"available" boolean DEFAULT false NOT NULL,
	"energy_cap" bigint,
	"payout_address" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "supplier_profiles_min_nonnegative" CHECK ("supplier_profiles"."min_price_sun_per_energy_day" >= 0),
	CONSTRAINT "supplier_profiles_cap_positive" CHECK ("supplier_profiles"."energy_cap" is null or "supplier_profiles"."energy_cap" > 0)
);
--> statement-breakpoint
ALTER TABLE "supplier_wallets" ADD COLUMN "supplier_user_id" integer;--> statement-breakpoint
ALTER TABLE "supplier_earnings" ADD CONSTRAINT "supplier_earnings_delegation_id_delegations_id_fk" FOREIGN KEY ("delegation_id") REFERENCES "public"."delegations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_earnings" ADD CONSTRAINT "supplier_earnings_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_earnings" ADD CONSTRAINT "supplier_earnings_supplier_user_id_users_id_fk" FOREIGN KEY ("supplier_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_earnings" ADD CONSTRAINT "supplier_earnings_supplier_wallet_id_supplier_wallets_id_fk" FOREIGN KEY ("supplier_wallet_id") REFERENCES "public"."supplier_wallets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_earnings" ADD CONSTRAINT "supplier_earnings_credit_entry_id_ledger_entries_id_fk" FOREIGN KEY ("credit_entry_id") REFERENCES "public"."ledger_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_payouts" ADD CONSTRAINT "supplier_payouts_supplier_user_id_users_id_fk" FOREIGN KEY ("supplier_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_payouts" ADD CONSTRAINT "supplier_payouts_debit_entry_id_ledger_entries_id_fk" FOREIGN KEY ("debit_entry_id") REFERENCES "public"."ledger_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_payouts" ADD CONSTRAINT "supplier_payouts_return_entry_id_ledger_entries_id_fk" FOREIGN KEY ("return_entry_id") REFERENCES "public"."ledger_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_profiles" ADD CONSTRAINT "supplier_profiles_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "supplier_earnings_supplier_idx" ON "supplier_earnings" USING btree ("supplier_user_id","created_at");--> statement-breakpoint
CREATE INDEX "supplier_earnings_order_idx" ON "supplier_earnings" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "supplier_payouts_supplier_idx" ON "supplier_payouts" USING btree ("supplier_user_id","id");--> statement-breakpoint
CREATE INDEX "supplier_payouts_open_idx" ON "supplier_payouts" USING btree ("status","id") WHERE "supplier_payouts"."status" in ('pending', 'approved', 'signed', 'broadcast');--> statement-breakpoint
ALTER TABLE "supplier_wallets" ADD CONSTRAINT "supplier_wallets_supplier_user_id_users_id_fk" FOREIGN KEY ("supplier_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;
CREATE TYPE "public"."wallet_tx_kind" AS ENUM('delegate', 'undelegate');--> statement-breakpoint
CREATE TABLE "pool_operator" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"address" text NOT NULL,
	"encrypted_key" text NOT NULL,
	"key_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pool_operator_single_row" CHECK ("pool_operator"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "wallet_tx_costs" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "wallet_tx_costs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"supplier_wallet_id" integer NOT NULL,
	"delegation_id" integer,
	"kind" "wallet_tx_kind" NOT NULL,
	"txid" text NOT NULL,
	"net_usage" bigint NOT NULL,
	"fee_sun" bigint NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "wallet_tx_costs_txid" UNIQUE("txid"),
	CONSTRAINT "wallet_tx_costs_nonnegative" CHECK ("wallet_tx_costs"."net_usage" >= 0 and "wallet_tx_costs"."fee_sun" >= 0)
);
--> statement-breakpoint
ALTER TABLE "delegations" ADD COLUMN "owner_reclaim_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "supplier_wallets" ADD COLUMN "permission_error" text;--> statement-breakpoint
ALTER TABLE "supplier_wallets" ADD COLUMN "permission_checked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "supplier_wallets" ADD COLUMN "daily_bandwidth_cap" bigint DEFAULT 1500 NOT NULL;--> statement-breakpoint
ALTER TABLE "supplier_wallets" ADD COLUMN "daily_trx_cap_sun" bigint DEFAULT 5000000 NOT NULL;--> statement-breakpoint
ALTER TABLE "wallet_tx_costs" ADD CONSTRAINT "wallet_tx_costs_supplier_wallet_id_supplier_wallets_id_fk" FOREIGN KEY ("supplier_wallet_id") REFERENCES "public"."supplier_wallets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "wallet_tx_costs_wallet_at_idx" ON "wallet_tx_costs" USING btree ("supplier_wallet_id","at");--> statement-breakpoint
ALTER TABLE "supplier_wallets" ADD CONSTRAINT "supplier_wallets_daily_caps_nonnegative" CHECK ("supplier_wallets"."daily_bandwidth_cap" >= 0 and "supplier_wallets"."daily_trx_cap_sun" >= 0);
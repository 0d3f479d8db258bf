CREATE TYPE "public"."drift_kind" AS ENUM('orphan', 'missing', 'unreclaimed', 'lock_mismatch');--> statement-breakpoint
CREATE TYPE "public"."drift_status" AS ENUM('open', 'resolved');--> statement-breakpoint
CREATE TABLE "chain_drift" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "chain_drift_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"kind" "drift_kind" NOT NULL,
	"supplier_wallet_id" integer NOT NULL,
	"receiver_address" text NOT NULL,
	"status" "drift_status" DEFAULT 'open' NOT NULL,
	"chain_sun" bigint NOT NULL,
	"expected_sun" bigint NOT NULL,
	"unlocked_sun" bigint DEFAULT 0 NOT NULL,
	"chain_lock_ends_at" timestamp with time zone,
	"expected_lock_ends_at" timestamp with time zone,
	"delegation_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"details" jsonb,
	"runs" integer DEFAULT 1 NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	"reclaim_sun" bigint,
	"reclaim_signed_tx" jsonb,
	"reclaim_txid" text,
	"reclaim_tx_expires_at" timestamp with time zone,
	"reclaimed_at" timestamp with time zone,
	"reclaim_fee_sun" bigint DEFAULT 0 NOT NULL,
	"reclaim_error" text,
	CONSTRAINT "chain_drift_reclaim_txid_unique" UNIQUE("reclaim_txid")
);
--> statement-breakpoint
CREATE TABLE "reconcile_runs" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "reconcile_runs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"wallets" integer DEFAULT 0 NOT NULL,
	"receivers" integer DEFAULT 0 NOT NULL,
	"open" integer DEFAULT 0 NOT NULL,
	"raised" integer DEFAULT 0 NOT NULL,
	"resolved" integer DEFAULT 0 NOT NULL,
	"error" text
);
--> statement-breakpoint
ALTER TABLE "supplier_wallets" DROP CONSTRAINT "supplier_wallets_key_present";--> statement-breakpoint
ALTER TABLE "delegations" ADD COLUMN "reclaim_after" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "delegations" ADD COLUMN "reclaim_moved_energy" bigint;--> statement-breakpoint
ALTER TABLE "delegations" ADD COLUMN "reclaim_blocked_sun" bigint;--> statement-breakpoint
ALTER TABLE "supplier_wallets" ADD COLUMN "bandwidth_available" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "supplier_wallets" ADD COLUMN "removed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "chain_drift" ADD CONSTRAINT "chain_drift_supplier_wallet_id_supplier_wallets_id_fk" FOREIGN KEY ("supplier_wallet_id") REFERENCES "public"."supplier_wallets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "chain_drift_open_uq" ON "chain_drift" USING btree ("kind","supplier_wallet_id","receiver_address") WHERE "chain_drift"."status" = 'open';--> statement-breakpoint
CREATE INDEX "chain_drift_status_seen_idx" ON "chain_drift" USING btree ("status","last_seen_at");--> statement-breakpoint
CREATE INDEX "delegations_receiver_idx" ON "delegations" USING btree ("receiver_address","supplier_wallet_id");--> statement-breakpoint
ALTER TABLE "supplier_wallets" ADD CONSTRAINT "supplier_wallets_key_present" CHECK ("supplier_wallets"."removed_at" is not null or ("supplier_wallets"."mode" = 'key' and "supplier_wallets"."encrypted_key" is not null and "supplier_wallets"."key_id" is not null) or ("supplier_wallets"."mode" = 'permission' and "supplier_wallets"."permission_id" is not null));
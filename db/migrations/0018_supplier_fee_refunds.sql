ALTER TYPE "public"."ledger_type" ADD VALUE 'supplier_fee_refund';--> statement-breakpoint
DROP INDEX "delegations_delegated_until_idx";--> statement-breakpoint
DROP INDEX "orders_delivered_cov_idx";--> statement-breakpoint
ALTER TABLE "wallet_tx_costs" ADD COLUMN "supplier_user_id" integer;--> statement-breakpoint
ALTER TABLE "wallet_tx_costs" ADD COLUMN "repaid_entry_id" bigint;--> statement-breakpoint
ALTER TABLE "wallet_tx_costs" ADD CONSTRAINT "wallet_tx_costs_supplier_user_id_users_id_fk" FOREIGN KEY ("supplier_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wallet_tx_costs" ADD CONSTRAINT "wallet_tx_costs_repaid_entry_id_ledger_entries_id_fk" FOREIGN KEY ("repaid_entry_id") REFERENCES "public"."ledger_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "wallet_tx_costs_supplier_idx" ON "wallet_tx_costs" USING btree ("supplier_user_id","at") WHERE "wallet_tx_costs"."supplier_user_id" is not null;--> statement-breakpoint
CREATE INDEX "delegations_delegated_until_idx" ON "delegations" USING btree (coalesce("reclaimed_at", "expires_at"),"sun","confirmed_at","reclaimed_at","expires_at","supplier_wallet_id") WHERE "delegations"."confirmed_at" is not null;--> statement-breakpoint
CREATE INDEX "orders_delivered_cov_idx" ON "orders" USING btree ("delivered_at","price_sun","refunded_sun","energy","package_id") WHERE "orders"."delivered_at" is not null;
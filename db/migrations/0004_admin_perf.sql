CREATE TABLE "ledger_daily" (
	"day" date NOT NULL,
	"type" "ledger_type" NOT NULL,
	"amount_sun" bigint NOT NULL,
	"entries" integer NOT NULL,
	CONSTRAINT "ledger_daily_day_type_pk" PRIMARY KEY("day","type")
);
--> statement-breakpoint
CREATE TABLE "ledger_rollup_state" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"through_id" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_rollup_state_single" CHECK ("ledger_rollup_state"."id" = 1)
);
--> statement-breakpoint
DROP INDEX "orders_created_idx";--> statement-breakpoint
CREATE INDEX "delegations_created_fee_idx" ON "delegations" USING btree ("created_at","fee_sun");--> statement-breakpoint
CREATE INDEX "delegations_reclaimed_fee_idx" ON "delegations" USING btree ("reclaimed_at","reclaim_fee_sun") WHERE "delegations"."reclaimed_at" is not null;--> statement-breakpoint
CREATE INDEX "delegations_delegated_until_idx" ON "delegations" USING btree (coalesce("reclaimed_at", "expires_at"),"sun","confirmed_at","reclaimed_at","expires_at") WHERE "delegations"."confirmed_at" is not null;--> statement-breakpoint
CREATE INDEX "orders_created_cov_idx" ON "orders" USING btree ("created_at","status","energy","price_sun","refunded_sun","delivered_at");--> statement-breakpoint
CREATE INDEX "orders_failed_created_idx" ON "orders" USING btree ("created_at") WHERE "orders"."failure_reason" is not null;--> statement-breakpoint
-- Hand-written (drizzle-kit does not model these). Extended statistics on the UTC day expression
-- the admin reports group by: without them the planner guesses one group per row and sorts
-- (spilling to disk) instead of hashing ~30 groups.
CREATE STATISTICS IF NOT EXISTS "orders_created_day_stats" ON ((("created_at" AT TIME ZONE 'UTC'))::date) FROM "orders";--> statement-breakpoint
CREATE STATISTICS IF NOT EXISTS "delegations_created_day_stats" ON ((("created_at" AT TIME ZONE 'UTC'))::date) FROM "delegations";--> statement-breakpoint
INSERT INTO "ledger_rollup_state" ("id", "through_id") VALUES (1, 0) ON CONFLICT DO NOTHING;

ALTER TYPE "public"."ledger_type" ADD VALUE 'referral_commission';--> statement-breakpoint
ALTER TYPE "public"."ledger_type" ADD VALUE 'referral_reversal';--> statement-breakpoint
CREATE TABLE "referral_commissions" (
	"order_id" bigint PRIMARY KEY NOT NULL,
	"referrer_user_id" integer NOT NULL,
	"referee_user_id" integer NOT NULL,
	"base_sun" bigint NOT NULL,
	"rate_bps" integer NOT NULL,
	"commission_sun" bigint NOT NULL,
	"credit_entry_id" bigint NOT NULL,
	"reversed_sun" bigint DEFAULT 0 NOT NULL,
	"owed_sun" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reversed_at" timestamp with time zone,
	CONSTRAINT "referral_commission_positive" CHECK ("referral_commissions"."commission_sun" > 0),
	CONSTRAINT "referral_commission_reversal_bounds" CHECK ("referral_commissions"."reversed_sun" >= 0 and "referral_commissions"."owed_sun" >= 0 and "referral_commissions"."reversed_sun" + "referral_commissions"."owed_sun" <= "referral_commissions"."commission_sun")
);
--> statement-breakpoint
ALTER TABLE "referral_commissions" ADD CONSTRAINT "referral_commissions_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_commissions" ADD CONSTRAINT "referral_commissions_referrer_user_id_users_id_fk" FOREIGN KEY ("referrer_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_commissions" ADD CONSTRAINT "referral_commissions_referee_user_id_users_id_fk" FOREIGN KEY ("referee_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_commissions" ADD CONSTRAINT "referral_commissions_credit_entry_id_ledger_entries_id_fk" FOREIGN KEY ("credit_entry_id") REFERENCES "public"."ledger_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "referral_commissions_referrer_idx" ON "referral_commissions" USING btree ("referrer_user_id","order_id");--> statement-breakpoint
CREATE INDEX "referral_commissions_owed_idx" ON "referral_commissions" USING btree ("referrer_user_id") WHERE "referral_commissions"."owed_sun" > 0;--> statement-breakpoint
CREATE INDEX "referral_commissions_created_at_idx" ON "referral_commissions" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "users_referred_by_idx" ON "users" USING btree ("referred_by_user_id","id") WHERE "users"."referred_by_user_id" is not null;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_not_self_referred" CHECK ("users"."referred_by_user_id" is null or "users"."referred_by_user_id" <> "users"."id");
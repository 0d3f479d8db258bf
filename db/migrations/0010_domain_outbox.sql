-- Status changes recorded before this migration were delivered by the old in-process listeners:
-- they are marked sent (the default fills existing rows without rewriting the table), new rows start unsent.
ALTER TABLE "order_events" ADD COLUMN "sent_at" timestamp with time zone DEFAULT now();--> statement-breakpoint
ALTER TABLE "order_events" ALTER COLUMN "sent_at" DROP DEFAULT;--> statement-breakpoint
CREATE INDEX "deposits_unsent_idx" ON "deposits" USING btree ("id") WHERE "deposits"."status" = 'credited' and "deposits"."notified_at" is null;--> statement-breakpoint
CREATE INDEX "order_events_unsent_idx" ON "order_events" USING btree ("id") WHERE "order_events"."sent_at" is null and "order_events"."to_status" is not null;

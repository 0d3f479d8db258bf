ALTER TABLE "chain_cursors" ADD COLUMN "block_hash" text;--> statement-breakpoint
ALTER TABLE "chain_cursors" ADD COLUMN "problem" text;--> statement-breakpoint
ALTER TABLE "deposit_addresses" ADD COLUMN "first_block" bigint;--> statement-breakpoint
ALTER TABLE "deposit_addresses" ADD COLUMN "watched_until_ms" bigint;
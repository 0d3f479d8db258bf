CREATE TABLE "key_import_keys" (
	"key_id" text PRIMARY KEY NOT NULL,
	"public_key" text NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL
);

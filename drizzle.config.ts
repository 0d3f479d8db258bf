import "./scripts/load-env";
import { defineConfig } from "drizzle-kit";
import { env } from "./lib/env";

export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
  // Only `drizzle-kit migrate/studio/push` need a database; `generate` works without one.
  dbCredentials: { url: env.DATABASE_URL ?? "postgres://localhost/tron_energy" },
  strict: true,
});

/** `npm run db:migrate`: applies db/migrations to DATABASE_URL (or creates/migrates the PGlite folder). */
import { announceTarget } from "@/scripts/load-env";
import { applyMigrations } from "@/db/apply-migrations";

async function main() {
  await announceTarget("db:migrate", { network: false });
  console.log(await applyMigrations());
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});

/**
 * `npm run db:seed`: the default settings, written out so operators can see and edit them, and — on a
 * database with no admin yet — the first owner, whose one-time password is printed once (the same
 * thing the app does on its first start; `--email=` picks the owner's email). Safe to run again:
 * existing settings and admins are left as they are.
 */
import { announceTarget } from "@/scripts/load-env";
import { closeDb, getDb } from "@/db";
import { settings as settingsTable } from "@/db/schema";
import { ensureFirstOwner, firstOwnerBanner } from "@/lib/admin/first-owner";
import { defaultSettings } from "@/lib/settings";

const email = process.argv.find((a) => a.startsWith("--email="))?.slice(8);

async function main() {
  await announceTarget("db:seed", { network: false });
  const db = await getDb();
  let written = 0;
  for (const [key, value] of Object.entries(defaultSettings)) {
    const r = await db.insert(settingsTable).values({ key, value }).onConflictDoNothing().returning();
    written += r.length;
  }
  console.log(`Settings: ${written} written, ${Object.keys(defaultSettings).length - written} already set.`);

  const owner = await ensureFirstOwner(email);
  if (owner) console.log(firstOwnerBanner(owner));
  else console.log("An admin already exists: no owner created (npm run admin:create adds one).");
  await closeDb();
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});

/**
 * `npm run db:seed`: demo settings (the defaults, written so operators can see and edit them) and an
 * owner admin whose one-time password is printed once. Safe to run again: existing settings and
 * admins are left as they are.
 */
import { announceTarget } from "@/scripts/load-env";
import { eq } from "drizzle-orm";
import { closeDb, getDb } from "@/db";
import { admins, settings as settingsTable } from "@/db/schema";
import { hashPassword, oneTimePassword } from "@/lib/auth/password";
import { defaultSettings } from "@/lib/settings";

const email = (
  process.argv.find((a) => a.startsWith("--email="))?.slice(8) ?? "owner@example.com"
).toLowerCase();

async function main() {
  await announceTarget("db:seed", { network: false });
  const db = await getDb();
  let written = 0;
  for (const [key, value] of Object.entries(defaultSettings)) {
    const r = await db.insert(settingsTable).values({ key, value }).onConflictDoNothing().returning();
    written += r.length;
  }
  console.log(`Settings: ${written} written, ${Object.keys(defaultSettings).length - written} already set.`);

  const [existing] = await db.select().from(admins).where(eq(admins.email, email));
  if (existing) {
    console.log(`Admin ${email} already exists (role ${existing.role}); password unchanged.`);
  } else {
    const password = oneTimePassword();
    await db
      .insert(admins)
      .values({ email, role: "owner", passwordHash: await hashPassword(password), mustChangePassword: true });
    console.log(`Owner admin created: ${email}`);
    console.log(`One-time password (shown once; change it at first sign-in): ${password}`);
  }
  await closeDb();
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});

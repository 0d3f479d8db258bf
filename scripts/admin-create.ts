/**
 * `npm run admin:create -- --email ops@example.com --role owner|operator|viewer`: creates an admin
 * and prints a one-time password (shown once; the admin must change it at first sign-in).
 */
import { announceTarget } from "@/scripts/load-env";
import { parseArgs } from "node:util";
import { closeDb } from "@/db";
import { createAdmin } from "@/lib/admin/auth";

async function main() {
  const { values } = parseArgs({
    options: { email: { type: "string" }, role: { type: "string", default: "operator" } },
  });
  if (!values.email) throw new Error("Usage: npm run admin:create -- --email you@example.com --role owner");
  const role = values.role as "owner" | "operator" | "viewer";
  if (!["owner", "operator", "viewer"].includes(role))
    throw new Error("--role must be owner, operator or viewer");
  await announceTarget("admin:create", { network: false });
  const { admin, password } = await createAdmin({ email: values.email, role });
  console.log(`Admin created: ${admin.email} (${admin.role})`);
  console.log(`One-time password (shown once; change it at first sign-in): ${password}`);
  await closeDb();
}

main().catch(async (e) => {
  console.error(e instanceof Error ? e.message : e);
  await closeDb().catch(() => {});
  process.exit(1);
});

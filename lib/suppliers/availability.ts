import { eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import { type SupplierProfile, supplierProfiles, users } from "@/db/schema";
import { AppError } from "@/lib/errors";

/**
 * Turns a supplier's availability on or off (their other terms untouched). Setting the state it
 * already has changes nothing, so a repeated tap is harmless. Turning it on needs an active
 * account, as saving a profile does.
 */
export async function setSupplierAvailable(userId: number, available: boolean): Promise<SupplierProfile> {
  const p = z.boolean().safeParse(available);
  if (!p.success) throw new AppError("bad_request", "Availability is on or off.");
  const db = await getDb();
  if (p.data) {
    const [u] = await db.select({ status: users.status }).from(users).where(eq(users.id, userId));
    if (!u) throw new AppError("not_found", "User not found.");
    if (u.status !== "active") throw new AppError("forbidden", "This account cannot supply energy.");
  }
  const [row] = await db
    .update(supplierProfiles)
    .set({ available: p.data, updatedAt: new Date() })
    .where(eq(supplierProfiles.userId, userId))
    .returning();
  if (!row) throw new AppError("invalid_state", "Save your supplier profile first.");
  return row;
}

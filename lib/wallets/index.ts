import { and, asc, desc, eq, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb, isUniqueViolation, preparedQuery } from "@/db";
import { type UserWallet, users, userWallets } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { parseAddress } from "@/lib/tron/address";

/**
 * Saved wallets ("我的地址"): the addresses a user rents energy for. Shared by the bot and the
 * portal. Rules: at most MAX_WALLETS per user, an address once per user, exactly one default while
 * the user has any (the first saved becomes default; removing the default promotes the oldest).
 * Every call is scoped to `userId`: another user's wallet id is `not_found`.
 */
export const MAX_WALLETS = 20;
const MAX_LABEL = 64;

export type { UserWallet };

const labelSchema = z
  .string()
  .trim()
  .max(MAX_LABEL, `A label has at most ${MAX_LABEL} characters.`)
  .transform((s) => [...s].filter((ch) => ch.charCodeAt(0) >= 32 && ch.charCodeAt(0) !== 127).join(""))
  .transform((s) => (s === "" ? null : s))
  .nullish();

function parseLabel(label: string | null | undefined): string | null {
  const r = labelSchema.safeParse(label);
  if (!r.success) {
    const m = r.error.issues[0]?.message ?? "Invalid label.";
    throw new AppError("bad_request", m, { fields: { label: m }, details: { reason: "label_too_long" } });
  }
  return r.data ?? null;
}

const listQuery = preparedQuery((db) =>
  db
    .select()
    .from(userWallets)
    .where(eq(userWallets.userId, sql.placeholder("userId")))
    .orderBy(desc(userWallets.isDefault), asc(userWallets.id))
    .prepare("wallets_of_user"),
);

export async function listWallets(userId: number): Promise<UserWallet[]> {
  return (await listQuery()).execute({ userId });
}

export async function getWallet(input: { userId: number; walletId: number }): Promise<UserWallet> {
  const db = await getDb();
  const [w] = await db
    .select()
    .from(userWallets)
    .where(and(eq(userWallets.id, input.walletId), eq(userWallets.userId, input.userId)));
  if (!w) throw new AppError("not_found", "Wallet not found.");
  return w;
}

export async function getDefaultWallet(userId: number): Promise<UserWallet | null> {
  const db = await getDb();
  const [w] = await db
    .select()
    .from(userWallets)
    .where(and(eq(userWallets.userId, userId), eq(userWallets.isDefault, true)));
  return w ?? null;
}

const summaryQuery = preparedQuery((db) =>
  db
    .select({ balanceSun: users.balanceSun, wallet: userWallets })
    .from(users)
    .leftJoin(userWallets, and(eq(userWallets.userId, users.id), eq(userWallets.isDefault, true)))
    .where(eq(users.id, sql.placeholder("userId")))
    .prepare("wallets_balance_and_default"),
);

/**
 * The user's balance, read now (never cached), and default wallet, in one round trip (the bot's
 * main menu).
 */
export async function getBalanceAndDefaultWallet(
  userId: number,
): Promise<{ balanceSun: bigint; defaultWallet: UserWallet | null }> {
  const [row] = await (await summaryQuery()).execute({ userId });
  if (!row) throw new AppError("not_found", "User not found.");
  return { balanceSun: row.balanceSun, defaultWallet: row.wallet };
}

/**
 * Saves an address. Bad address → `invalid_address` (details.reason from lib/tron), already saved →
 * `conflict` (details.reason "duplicate"), 20 saved → `conflict` (details.reason "limit").
 */
export async function addWallet(input: {
  userId: number;
  address: string;
  label?: string | null;
}): Promise<UserWallet> {
  const address = parseAddress(input.address);
  const label = parseLabel(input.label);
  const db = await getDb();
  try {
    return await db.transaction(async (tx) => {
      // Serialize a user's wallet writes (limit and default are per user).
      await tx.execute(sql`select pg_advisory_xact_lock(7301, ${input.userId})`);
      const rows = await tx
        .select({ id: userWallets.id, address: userWallets.address })
        .from(userWallets)
        .where(eq(userWallets.userId, input.userId));
      if (rows.some((r) => r.address === address))
        throw new AppError("conflict", "This address is already saved.", {
          fields: { address: "This address is already saved." },
          details: { reason: "duplicate" },
        });
      if (rows.length >= MAX_WALLETS)
        throw new AppError("conflict", `You can save at most ${MAX_WALLETS} addresses.`, {
          details: { reason: "limit", max: MAX_WALLETS },
        });
      const [w] = await tx
        .insert(userWallets)
        .values({ userId: input.userId, address, label, isDefault: rows.length === 0 })
        .returning();
      return w;
    });
  } catch (e) {
    if (isUniqueViolation(e))
      throw new AppError("conflict", "This address is already saved.", { details: { reason: "duplicate" } });
    throw e;
  }
}

export async function renameWallet(input: {
  userId: number;
  walletId: number;
  label: string | null;
}): Promise<UserWallet> {
  const label = parseLabel(input.label);
  const db = await getDb();
  const [w] = await db
    .update(userWallets)
    .set({ label })
    .where(and(eq(userWallets.id, input.walletId), eq(userWallets.userId, input.userId)))
    .returning();
  if (!w) throw new AppError("not_found", "Wallet not found.");
  return w;
}

export async function setDefaultWallet(input: { userId: number; walletId: number }): Promise<UserWallet> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [w] = await tx
      .select()
      .from(userWallets)
      .where(and(eq(userWallets.id, input.walletId), eq(userWallets.userId, input.userId)))
      .for("update");
    if (!w) throw new AppError("not_found", "Wallet not found.");
    if (w.isDefault) return w;
    await tx
      .update(userWallets)
      .set({ isDefault: false })
      .where(and(eq(userWallets.userId, input.userId), eq(userWallets.isDefault, true)));
    const [u] = await tx
      .update(userWallets)
      .set({ isDefault: true })
      .where(eq(userWallets.id, w.id))
      .returning();
    return u;
  });
}

/** Removes a wallet; when it was the default, the oldest remaining one becomes default. */
export async function removeWallet(input: { userId: number; walletId: number }): Promise<UserWallet> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [w] = await tx
      .delete(userWallets)
      .where(and(eq(userWallets.id, input.walletId), eq(userWallets.userId, input.userId)))
      .returning();
    if (!w) throw new AppError("not_found", "Wallet not found.");
    if (w.isDefault) {
      const [next] = await tx
        .select({ id: userWallets.id })
        .from(userWallets)
        .where(and(eq(userWallets.userId, input.userId), ne(userWallets.id, w.id)))
        .orderBy(asc(userWallets.id))
        .limit(1);
      if (next) await tx.update(userWallets).set({ isDefault: true }).where(eq(userWallets.id, next.id));
    }
    return w;
  });
}

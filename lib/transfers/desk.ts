import { and, eq, isNull, ne } from "drizzle-orm";
import { type Executor, getDb, isUniqueViolation } from "@/db";
import { depositAddresses, users, userWallets } from "@/db/schema";

/**
 * The transfer desk: the platform's own account (users.system_account = 'transfer') that owns the
 * orders paid by transfer. Each delivered transfer is credited to it (ledger `deposit`, key
 * `rental-transfer:<txid>:<index>`) and paid out of it by its order (`order_payment`), so the ledger
 * shows every TRX that came in this way; a failed order's refund lands on it and leaves it again
 * when the transfer is returned (`adjustment`, key `rental-transfer-return:<id>`). Its balance is
 * what the platform owes senders of transfers not yet returned.
 */
export const DESK = "transfer";
const DESK_REFERRAL_CODE = "sys-transfer"; // longer than any generated code (8 chars): never collides

const g = globalThis as unknown as { __tehTransferDesk?: { db: unknown; id: number } };

export async function deskUserId(): Promise<number> {
  const db = await getDb();
  if (g.__tehTransferDesk?.db === db) return g.__tehTransferDesk.id;
  for (let i = 0; i < 3; i++) {
    const [row] = await db.select({ id: users.id }).from(users).where(eq(users.systemAccount, DESK));
    if (row) {
      g.__tehTransferDesk = { db, id: row.id };
      return row.id;
    }
    try {
      await db.insert(users).values({
        systemAccount: DESK,
        username: "transfer-desk",
        firstName: "Pay by transfer",
        referralCode: DESK_REFERRAL_CODE,
      });
    } catch (e) {
      if (!isUniqueViolation(e)) throw e; // another process created it: read it again
    }
  }
  throw new Error("could not create the transfer desk account");
}

/** Forgets the cached desk id (tests that empty the database). */
export function resetDeskCache(): void {
  g.__tehTransferDesk = undefined;
}

/**
 * The user a sender address belongs to, for crediting instead of refunding: the user whose deposit
 * address it is, else the one user who saved it as a wallet. Saved by several users (anyone can save
 * any address) → null: it is refunded on chain, never credited to a guess. System accounts never.
 */
export async function userOfAddress(address: string, ex?: Executor): Promise<number | null> {
  const db = ex ?? (await getDb());
  const [dep] = await db
    .select({ userId: depositAddresses.userId })
    .from(depositAddresses)
    .where(eq(depositAddresses.address, address));
  if (dep) return dep.userId;
  const saved = await db
    .selectDistinct({ userId: userWallets.userId })
    .from(userWallets)
    .innerJoin(users, eq(users.id, userWallets.userId))
    .where(and(eq(userWallets.address, address), isNull(users.systemAccount), ne(users.status, "banned")))
    .limit(2);
  return saved.length === 1 ? saved[0].userId : null;
}

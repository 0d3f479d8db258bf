import { createHash, randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { TronWeb } from "tronweb";
import { getDb, rowsOf } from "@/db";
import { poolOperator } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { tron } from "@/lib/tron/client";
import { sealNewSupplierKey } from "@/lib/tron/keys";

/**
 * The platform's operator key: the key permission-mode wallets' owners name in the Active permission
 * they grant (delegate / undelegate only). Stored like supplier keys — encrypted under
 * KEY_ENCRYPTION_KEY (or sealed to the worker when set from a web process), opened only by the
 * signing steps, never logged. Its address is public: the console shows it to owners.
 *
 * Set with `npm run pool:operator` (a fresh key, or one the operator brings). On the devnet, a
 * database without one uses the devnet's operator account (DEVNET ONLY key, index 9), so
 * development needs no step.
 */

/** DEVNET ONLY: the operator key the devnet uses by default (same derivation as devnet/genesis). */
const DEVNET_OPERATOR_INDEX = 9;
function devnetOperatorKey(): string {
  return createHash("sha256").update(`tron-energy-helper devnet ${DEVNET_OPERATOR_INDEX}`).digest("hex");
}

function addressOfKey(privateKeyHex: string): string {
  const pk = privateKeyHex.trim().replace(/^0x/i, "");
  if (!/^[0-9a-fA-F]{64}$/.test(pk)) throw new AppError("bad_request", "A private key is 64 hex digits.");
  const a = TronWeb.address.fromPrivateKey(pk);
  if (!a) throw new AppError("bad_request", "This is not a valid private key.");
  return a;
}

async function storedOperator(): Promise<{ address: string; encryptedKey: string } | null> {
  const db = await getDb();
  const [row] = await db
    .select({ address: poolOperator.address, encryptedKey: poolOperator.encryptedKey })
    .from(poolOperator)
    .where(eq(poolOperator.id, 1));
  return row ?? null;
}

async function store(address: string, privateKeyHex: string): Promise<void> {
  const sealed = await sealNewSupplierKey(address, privateKeyHex);
  const db = await getDb();
  await db
    .insert(poolOperator)
    .values({ id: 1, address: sealed.address, encryptedKey: sealed.ciphertext, keyId: sealed.keyId })
    .onConflictDoUpdate({
      target: poolOperator.id,
      set: {
        address: sealed.address,
        encryptedKey: sealed.ciphertext,
        keyId: sealed.keyId,
        updatedAt: new Date(),
      },
    });
}

/** The stored operator; on the devnet, the devnet's operator account when none is set yet. */
async function loadOperator(): Promise<{ address: string; encryptedKey: string } | null> {
  const row = await storedOperator();
  if (row || tron().config.network !== "devnet") return row;
  const pk = devnetOperatorKey();
  const address = addressOfKey(pk);
  const db = await getDb();
  // insert-if-absent: two processes starting together store it once
  const sealed = await sealNewSupplierKey(address, pk);
  await db
    .insert(poolOperator)
    .values({ id: 1, address, encryptedKey: sealed.ciphertext, keyId: sealed.keyId })
    .onConflictDoNothing();
  logger.info({ address }, "devnet: using the devnet operator key for permission-mode wallets");
  return storedOperator();
}

/** The operator address owners grant the permission to, or null when none is configured. */
export async function operatorAddress(): Promise<string | null> {
  return (await loadOperator())?.address ?? null;
}

export async function requireOperatorAddress(): Promise<string> {
  const a = await operatorAddress();
  if (!a)
    throw new AppError(
      "invalid_state",
      "No operator key is configured for permission-mode wallets: run `npm run pool:operator -- --generate` on the worker.",
    );
  return a;
}

/** The operator key's ciphertext, for the signing steps only. */
export async function operatorSigner(): Promise<{ address: string; encryptedKey: string }> {
  const op = await loadOperator();
  if (!op) throw new AppError("internal", "No operator key is configured for permission-mode wallets.");
  return op;
}

async function permissionWalletCount(): Promise<number> {
  const db = await getDb();
  const [r] = rowsOf<{ n: string | number }>(
    await db.execute(
      sql`select count(*) as n from supplier_wallets where mode = 'permission' and removed_at is null`,
    ),
  );
  return Number(r.n);
}

/**
 * Sets the operator key (`privateKey`, or a fresh random one when omitted). Refused while
 * permission-mode wallets name the current one: their permissions would stop working at once.
 */
export async function setOperatorKey(
  opts: { privateKey?: string } = {},
  actor: { adminId?: number | null } = {},
): Promise<{ address: string }> {
  const pk = opts.privateKey?.trim() || randomBytes(32).toString("hex");
  const address = addressOfKey(pk);
  const current = await storedOperator();
  if (current && current.address !== address && (await permissionWalletCount()) > 0)
    throw new AppError(
      "invalid_state",
      `Permission-mode wallets name the current operator address ${current.address}: remove them (after their owners revoke the permission) before changing the operator key.`,
    );
  await store(address, pk);
  const db = await getDb();
  await writeAudit(db, {
    adminId: actor.adminId ?? null,
    action: "pool.operator.set",
    targetType: "pool_operator",
    targetId: "1",
    before: current ? { address: current.address } : null,
    after: { address },
  });
  return { address };
}

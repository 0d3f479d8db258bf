/**
 * Test-runner side of the portal browser tests. The runner shares DATABASE_URL and the devnet
 * (E2E_DEVNET_PORT, started by scripts/e2e-server.ts) with `next start`, and drives the real
 * Inngest functions in-process (@inngest/test), as the order engine's tests do. DEVNET ONLY keys.
 */
const devnetPort = process.env.E2E_DEVNET_PORT ?? "9123";
(process.env as Record<string, string>).NODE_ENV ??= "test";
process.env.TRON_NETWORK = "devnet";
process.env.DEVNET_PORT = devnetPort;
process.env.KEY_ENCRYPTION_KEY ??= "ZTJlLW9ubHkta2V5LTAxMjM0NTY3ODlhYmNkZWZnaGk=";
process.env.DEPOSIT_XPUB ??=
  "xpub6D1AabNHCupeiLM65ZR9UStMhJ1vCpyV4XbZdyhMZBiJXALQtmn9p42VTQckoHVn8WNqS7dqnJokZHAHcHGoaQgmv8D45oNUKx6DZMNZBCd";
process.env.LOG_LEVEL ??= "warn";
if (!process.env.DATABASE_URL) throw new Error("Portal browser tests need DATABASE_URL (real PostgreSQL).");

export const devnetUrl = `http://127.0.0.1:${devnetPort}`;

type Kit = Awaited<ReturnType<typeof makeKit>>;
let kitPromise: Promise<Kit> | null = null;

async function makeKit() {
  const testing = await import("@/lib/orders/testing");
  const deposits = await import("@/lib/deposits/testing");
  const pool = await import("@/lib/pool");
  const events = await import("@/lib/events");
  const client = testing.devnetTronClient(devnetUrl);
  pool.setTronClientForTests(client);
  events.setEventSender(events.captureSender);
  const ctl = testing.controlOf(devnetUrl);
  return { testing, deposits, client, ctl };
}

export function kit(): Promise<Kit> {
  kitPromise ??= makeKit();
  return kitPromise;
}

/** A user with a balance and a one-time sign-in link path. */
export async function userWithLink(opts: { balanceSun?: bigint; language?: "en" | "zh" } = {}) {
  const { createUser } = await import("@/lib/users");
  const { credit } = await import("@/lib/ledger");
  const { createLoginLink } = await import("@/lib/auth/login-link");
  const u = await createUser({ firstName: "E2E", language: opts.language ?? "en" });
  if (opts.balanceSun)
    await credit({
      userId: u.id,
      amountSun: opts.balanceSun,
      idempotencyKey: `e2e-credit:${u.id}`,
      memo: "e2e",
    });
  const { url, token } = await createLoginLink(u.id);
  return { user: u, path: new URL(url).pathname + new URL(url).search, token };
}

export async function freshLinkPath(userId: number) {
  const { createLoginLink } = await import("@/lib/auth/login-link");
  const { url } = await createLoginLink(userId);
  return new URL(url).pathname + new URL(url).search;
}

/** Pool wallets (devnet accounts 1–3) enabled for delivery. Idempotent across tests. */
export async function ensurePool() {
  const k = await kit();
  const { listWallets } = await import("@/lib/pool");
  const have = await listWallets();
  if (have.length > 0) return;
  await k.testing.importPool([1, 2, 3]);
}

/** A new, activated devnet address (funded with 1 TRX). */
export async function activatedAddress(): Promise<string> {
  const k = await kit();
  return k.testing.freshReceiver({ ctl: k.ctl });
}

/** Runs the fulfil-order Inngest function for the order in-process (paid → delegating → active). */
export async function fulfil(orderId: number) {
  const k = await kit();
  return k.testing.runFulfil({ ctl: k.ctl }, orderId, { sleepMs: 1000 });
}

/** Sends TRX from the devnet customer account to `to`; returns the txid. */
export async function sendTrxTo(to: string, sun: bigint) {
  const k = await kit();
  return k.deposits.sendTrx(k.client, to, sun);
}

/** One scanner pass (the scan-deposits function's work), with the devnet client. */
export async function scanDeposits() {
  const k = await kit();
  const { scanOnce } = await import("@/lib/deposits");
  return scanOnce({ client: k.client });
}

/** Another user's order, wallet and deposit (for the IDOR checks), created directly. */
export async function otherUsersData() {
  const { getDb } = await import("@/db");
  const { orders, depositAddresses, deposits } = await import("@/db/schema");
  const { createUser } = await import("@/lib/users");
  const { addWallet } = await import("@/lib/wallets");
  const { getOrCreateDepositAddress } = await import("@/lib/deposits");
  const { eq } = await import("drizzle-orm");
  const b = await createUser({ firstName: "Other" });
  const address = await activatedAddress();
  const wallet = await addWallet({ userId: b.id, address, label: "B-secret-label" });
  const db = await getDb();
  const [order] = await db
    .insert(orders)
    .values({
      userId: b.id,
      receiverAddress: address,
      energy: 65_000n,
      durationKey: "1h",
      durationSeconds: 3600,
      unitPriceSun: 45n,
      priceSun: 2_925_000n,
      burnSun: 6_500_000n,
      source: "portal",
      idempotencyKey: `e2e-b-${b.id}`,
      fingerprint: "e2e",
    })
    .returning();
  await getOrCreateDepositAddress(b.id);
  const [da] = await db.select().from(depositAddresses).where(eq(depositAddresses.userId, b.id));
  const [dep] = await db
    .insert(deposits)
    .values({
      userId: b.id,
      depositAddressId: da.id,
      address: da.address,
      currency: "TRX",
      amountBase: 7_000_000n,
      txid: `e2e-b-deposit-${b.id}`,
      logIndex: -1,
      blockNumber: 1,
    })
    .returning();
  return { user: b, wallet, order, deposit: dep };
}

export async function orderStatus(orderId: number) {
  const { getOrder } = await import("@/lib/orders");
  return (await getOrder({ orderId })).status;
}

export async function walletRow(walletId: number) {
  const { getDb } = await import("@/db");
  const { userWallets } = await import("@/db/schema");
  const { eq } = await import("drizzle-orm");
  const db = await getDb();
  const [w] = await db.select().from(userWallets).where(eq(userWallets.id, walletId));
  return w;
}

export async function balanceOf(userId: number) {
  const { getBalance } = await import("@/lib/ledger");
  return getBalance(userId);
}

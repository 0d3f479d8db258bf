/**
 * Test-runner side of the browser tests. The runner shares DATABASE_URL and the devnet with the app
 * (all started by scripts/e2e-server.ts) and prepares data through lib/ (the code the app runs); the
 * background work runs only in the engine, by signed calls to the app. The runner never drives an
 * Inngest function: it only sends events to the engine's event API. DEVNET ONLY keys.
 */
import { appSecrets, e2eConfig } from "./ports";

const cfg = e2eConfig();
appSecrets();
const devnetPort = String(cfg.devnetPort);
(process.env as Record<string, string>).NODE_ENV ??= "test";
process.env.TRON_NETWORK = "devnet";
process.env.DEVNET_PORT = devnetPort;
// the app's TRON client (tron()) reads the e2e devnet, whatever node a settings file names
process.env.TRON_FULL_HOST = `http://127.0.0.1:${devnetPort}`;
process.env.TRONSCAN_API_URL = process.env.TRON_FULL_HOST;
process.env.LOG_LEVEL ??= "warn";
if (!process.env.DATABASE_URL) throw new Error("Portal browser tests need DATABASE_URL (real PostgreSQL).");

export const devnetUrl = `http://127.0.0.1:${devnetPort}`;

type Kit = Awaited<ReturnType<typeof makeKit>>;
let kitPromise: Promise<Kit> | null = null;

async function makeKit() {
  const testing = await import("@/lib/orders/testing");
  const deposits = await import("@/lib/deposits/testing");
  const { tron } = await import("@/lib/tron/client");
  const events = await import("@/lib/events");
  const client = tron();
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

/** Sends events to the engine's event API, as the app's own sender does. */
export async function engineSend(events: { name: string; data: Record<string, unknown>; id?: string }[]) {
  const r = await fetch(`http://127.0.0.1:${cfg.enginePort}/e/${cfg.eventKey}`, {
    method: "POST",
    body: JSON.stringify(events),
  });
  if (!r.ok) throw new Error(`engine refused events: ${r.status} ${await r.text()}`);
}

/** The engine's runs of one function (its read-only run list). */
export async function engineRuns(
  fn: string,
): Promise<{ id: string; status: string; error: string | null }[]> {
  const r = await fetch(
    `http://127.0.0.1:${cfg.enginePort}/runs.json?fn=tron-energy-helper-${fn}&limit=1000`,
  );
  return (await r.json()).runs;
}

/** Asks the deposit scanner (an Inngest function, run by the engine) to run now, not at its minute. */
export const requestScan = () => engineSend([{ name: "deposits/scan.requested", data: {} }]);

/** The e2e server's control API: kill and restart the app, read the fake Bot API's calls. */
export async function control(path: string, method = "POST"): Promise<any> {
  const r = await fetch(`http://127.0.0.1:${cfg.controlPort}${path}`, { method });
  if (!r.ok) throw new Error(`control ${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

/** Sends TRX from the devnet customer account to `to`; returns the txid. */
export async function sendTrxTo(to: string, sun: bigint) {
  const k = await kit();
  return k.deposits.sendTrx(k.client, to, sun);
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
      // A finished order: the safety sweep (run by the engine) never picks it up.
      status: "cancelled",
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

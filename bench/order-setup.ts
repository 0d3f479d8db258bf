/**
 * The order benches' set-up (bench:orders, bench:engine): a real PostgreSQL (DATABASE_URL, migrated
 * here), an in-process devnet mining instantly (a block per accepted broadcast) that the whole app
 * is pointed at, a pool of the devnet's accounts 1–3 staked big enough for every order of the run,
 * funded users, fresh receivers and paid orders on demand (order/paid goes to whatever event sender
 * the bench sets; none by default, so a bench decides how each order is fulfilled), and the moment
 * each delegation reaches the devnet.
 *
 * Load it only after anything that must configure the app first (e.g. `startEngineForApp`): it
 * starts the devnet, points the app's TRON settings at it, then imports the app.
 */
import { startDevnet } from "@/devnet/server";

export type OrderBench = Awaited<ReturnType<typeof setUpOrderBench>>;

export async function setUpOrderBench(opts: { users?: number; stakeTrxPerWallet?: number } = {}) {
  process.env.DATABASE_POOL_SIZE ??= "20";
  process.env.LOG_LEVEL ??= "error";
  const { env, reloadEnv } = await import("@/lib/env");
  if (!env.DATABASE_URL) {
    console.error(
      "this bench needs DATABASE_URL (a real PostgreSQL, a database of its own), e.g. postgres://postgres@127.0.0.1:5432/teh_bench",
    );
    process.exit(1);
  }
  const { migratePostgres } = await import("./util");
  await migratePostgres(env.DATABASE_URL);
  const dn = await startDevnet({ port: 0, blockIntervalMs: 0, autoMine: true, solidityLag: 2 });
  const { devnetAccount } = await import("@/devnet/genesis");
  Object.assign(process.env, {
    TRON_NETWORK: "devnet",
    TRON_FULL_HOST: dn.url,
    TRONSCAN_API_URL: dn.url,
    DEVNET_PORT: String(dn.port),
    TRON_TIMEOUT_MS: "10000",
    // collect-deposits runs with the other crons: to the devnet's treasury account (genesis 0)
    TREASURY_ADDRESS: process.env.TREASURY_ADDRESS || devnetAccount(0).base58,
  });
  reloadEnv();
  const { toHexAddr } = await import("@/devnet/chain");
  const { closeDb, getDb } = await import("@/db");
  const { chainCursors } = await import("@/db/schema");
  const { setEventSender } = await import("@/lib/events");
  const { createOrder } = await import("@/lib/orders");
  const { controlOf, fundedUser, importPool, newAddress, resetPoolForTests } = await import(
    "@/lib/orders/testing"
  );
  const { tron } = await import("@/lib/tron/client");

  const ctl = controlOf(dn.url);
  const client = tron(); // the app's client, pointed at the devnet by the settings above
  setEventSender(async () => {}); // orders are created without fulfilment; each bench drives it

  // every delegation accepted by the devnet, by receiver (hex)
  const accepted = new Map<string, (at: number) => void>();
  const chained = dn.chain.onAccepted;
  dn.chain.onAccepted = () => {
    const at = performance.now();
    const tx = dn.chain.pending.at(-1);
    if (tx?.contractType === "DelegateResourceContract" && tx.to) accepted.get(tx.to)?.(at);
    chained?.();
  };

  const db = await getDb();
  await resetPoolForTests();
  // A fresh devnet each run: the deposit scanner (its crons run with the app's functions) starts
  // over instead of stopping on a cursor an earlier run's longer chain left behind.
  await db.delete(chainCursors);
  for (const i of [1, 2, 3])
    await ctl("stake", {
      address: devnetAccount(i).base58,
      sun: (opts.stakeTrxPerWallet ?? 2_000_000) * 1_000_000,
      resource: "ENERGY",
      fromBalance: false,
    });
  client.clearCache();
  await importPool([1, 2, 3]);
  const users = await Promise.all(
    Array.from({ length: opts.users ?? 200 }, () => fundedUser(1_000_000_000_000n)),
  );
  const run = Date.now().toString(36);
  let made = 0;

  const receivers = async (n: number): Promise<string[]> => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const receiver = newAddress();
      await ctl("fund", { address: receiver, trx: 1 });
      out.push(receiver);
    }
    return out;
  };
  const paidOrder = async (receiver: string, key: string): Promise<{ id: number; receiver: string }> => {
    const { order } = await createOrder({
      userId: users[made++ % users.length],
      receiver,
      energy: 65_000,
      duration: "1h",
      source: "api",
      idempotencyKey: `b-${run}-${key}`,
    });
    return { id: order.id, receiver };
  };

  return {
    dn,
    ctl,
    client,
    users,
    run,
    /** `n` fresh receivers, activated on the devnet. */
    receivers,
    /** A paid order of 65,000 energy for 1 h (createOrder: its order/paid goes to the event sender set). */
    paidOrder,
    /** `n` paid orders, each to a fresh activated receiver. */
    async paidOrders(n: number, tag: string): Promise<{ id: number; receiver: string }[]> {
      const out: { id: number; receiver: string }[] = [];
      for (const [i, r] of (await receivers(n)).entries()) out.push(await paidOrder(r, `${tag}-${i}`));
      return out;
    },
    /** Resolves with `performance.now()` when a delegation to `receiver` reaches the devnet. */
    delegationAccepted(receiver: string): Promise<number> {
      const hex = toHexAddr(receiver);
      return new Promise((resolve) =>
        accepted.set(hex, (at) => {
          accepted.delete(hex);
          resolve(at);
        }),
      );
    },
    async close() {
      setEventSender(null);
      await closeDb();
      await dn.close();
    },
  };
}

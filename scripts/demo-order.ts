import { announceTarget } from "@/scripts/load-env";
/**
 * npm run demo:order — one order's whole life, locally, with NO Inngest server: the real Inngest
 * functions (fulfil-order, sweep-expired, reclaim-delegation) are executed in-process by
 * @inngest/test's engine. Production runs them on an Inngest server (dev server or Inngest Cloud).
 *
 * Uses the devnet at DEVNET_PORT when one answers (else starts one in-process), and the database
 * at DATABASE_URL (migrated) or an in-memory PGlite. Seeds a user with balance and the devnet's pool
 * wallets, creates an order, fulfils it, moves the devnet's clock past the expiry with its control
 * API (no waiting), sweeps, reclaims, and prints each step and the tx ids.
 *
 *   npm run demo:order [-- --energy 131000 --duration 1h]
 */
if (!process.env.DATABASE_URL) process.env.PGLITE_DIR ??= "memory://demo";
process.env.LOG_LEVEL ??= "warn";

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : dflt;
};

const { InngestTestEngine } = await import("@inngest/test");
const { utils } = await import("tronweb");
const { closeDb, getDb } = await import("@/db");
const { env } = await import("@/lib/env");
const { startDevnet } = await import("@/devnet/server");
const { fulfilOrder } = await import("@/inngest/functions/fulfil-order");
const { reclaimDelegation } = await import("@/inngest/functions/reclaim-delegation");
const { sweepExpired } = await import("@/inngest/functions/sweep-expired");
const { capturedEvents } = await import("@/lib/events");
const { getBalance } = await import("@/lib/ledger");
const { createOrder, getOrder, onOrderChanged } = await import("@/lib/orders");
const { controlOf, devnetTronClient, fundedUser, importPool } = await import("@/lib/orders/testing");
const { setTronClientForTests } = await import("@/lib/pool");
const { setEventSender, captureSender } = await import("@/lib/events");
const { formatTrx } = await import("@/lib/money");

await announceTarget("demo:order");
const say = (s: string) => console.log(s);
const t0 = Date.now();
const ms = () => `${String(Date.now() - t0).padStart(6)} ms`;

// ------------------------------------------------------------------ devnet
let url = `http://127.0.0.1:${env.DEVNET_PORT}`;
let close = async () => {};
let shared = false;
try {
  const r = await fetch(`${url}/_devnet/state`, { signal: AbortSignal.timeout(500) });
  shared = r.ok;
} catch {}
if (shared) say(`devnet: using the one at ${url}`);
else {
  const dn = await startDevnet({ port: 0, blockIntervalMs: 0, solidityLag: 2 });
  url = dn.url;
  close = () => dn.close();
  say(`devnet: started in-process at ${url}`);
}
const ctl = controlOf(url);
const client = devnetTronClient(url);
setTronClientForTests(client);
setEventSender(captureSender); // no Inngest server: events are handed to the in-process engine below

const mocks = (n: number, advanceMs: number) =>
  Array.from({ length: n }, (_, i) => ({
    id: `wait-${i}`,
    handler: async () => {
      await ctl("advance-time", { ms: advanceMs });
      return null;
    },
  }));

try {
  await getDb();
  say(`database: ${env.DATABASE_URL ? "PostgreSQL (DATABASE_URL)" : "in-memory PGlite"}`);
  onOrderChanged((o, e) => say(`${ms()}  order ${o.id}: ${e.fromStatus ?? "·"} → ${o.status}  (${e.type})`));

  // ---------------------------------------------------------------- seed
  const wallets = await importPool([1, 2, 3]);
  for (const w of wallets)
    say(`pool: ${w.label} ${w.address} delegatable ${formatTrx(w.delegatableSun)} (key stored encrypted)`);
  const userId = await fundedUser(100_000_000n);
  say(`user ${userId}: balance ${formatTrx(await getBalance(userId))}`);
  const receiver = utils.accounts.generateAccount().address.base58;
  await ctl("fund", { address: receiver, trx: 1 });
  const energyBefore = (await client.getAccountResources(receiver)).energyLimit;
  say(`receiver ${receiver} (activated), energy limit ${energyBefore}`);

  // ---------------------------------------------------------------- order
  const { order } = await createOrder({
    userId,
    receiver,
    energy: arg("energy", "65000"),
    duration: arg("duration", "1h"),
    source: "portal",
    idempotencyKey: `demo-${Date.now()}`,
  });
  say(
    `${ms()}  created order ${order.id}: ${order.energy} energy for ${order.durationKey}, price ${formatTrx(order.priceSun)}`,
  );
  const paid = capturedEvents.find((e) => e.name === "order/paid" && e.data.orderId === order.id);
  say(`${ms()}  event ${paid?.name} id=${paid?.id}`);

  // ---------------------------------------------------------------- fulfil
  const f = await new InngestTestEngine({ function: fulfilOrder }).execute({
    events: [{ name: "order/paid", data: { orderId: order.id } }],
    steps: mocks(120, 3000),
  });
  if (f.error) throw f.error;
  let d = await getOrder({ orderId: order.id });
  for (const p of d.delegations)
    say(
      `${ms()}  delegation ${p.id}: ${formatTrx(p.sun)} from wallet ${p.supplierWalletId}, lock ${p.lockPeriodBlocks} blocks, txid ${p.txid}`,
    );
  const energyAfter = (await client.getAccountResources(receiver)).energyLimit;
  say(
    `${ms()}  receiver energy limit ${energyBefore} → ${energyAfter} (+${energyAfter - energyBefore}); expires ${d.expiresAt?.toISOString()}`,
  );

  // ---------------------------------------------------------------- expiry
  const head = (await client.getNowBlock()).timestamp;
  const jump = d.expiresAt!.getTime() - head + 6_000;
  await ctl("advance-time", { ms: jump });
  say(`${ms()}  devnet clock moved forward ${Math.round(jump / 1000)} s (control API), past the lock`);
  capturedEvents.length = 0;
  const s = await new InngestTestEngine({ function: sweepExpired }).execute({});
  if (s.error) throw s.error;
  const expired = capturedEvents.filter((e) => e.name === "delegation/expired");
  say(
    `${ms()}  sweep-expired sent ${expired.length} delegation/expired: ${expired.map((e) => e.id).join(", ")}`,
  );

  // ---------------------------------------------------------------- reclaim
  for (const e of expired) {
    const r = await new InngestTestEngine({ function: reclaimDelegation }).execute({
      events: [{ name: "delegation/expired", data: e.data }],
      steps: mocks(60, 3000),
    });
    if (r.error) throw r.error;
  }
  d = await getOrder({ orderId: order.id });
  for (const p of d.delegations)
    say(
      `${ms()}  delegation ${p.id}: ${p.status}, reclaimed ${formatTrx(p.reclaimSun ?? 0n)}, txid ${p.reclaimTxid}`,
    );
  const energyEnd = (await client.getAccountResources(receiver)).energyLimit;
  say(`${ms()}  receiver energy limit back to ${energyEnd}`);
  say(`${ms()}  order ${d.id}: ${d.status}; balance ${formatTrx(await getBalance(userId))}`);
  say(`timeline: ${d.events.map((e) => e.type).join(" → ")}`);
  if (d.status !== "completed") process.exitCode = 1;
} finally {
  setTronClientForTests(null);
  await closeDb();
  await close();
}

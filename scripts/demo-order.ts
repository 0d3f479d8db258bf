/**
 * npm run demo:order — one order's whole life, locally, through an Inngest engine: the real
 * Inngest functions (fulfil-order, sweep-expired, reclaim-delegation, and every other function of
 * the app) are served over HTTP by the SDK's serve handler (`inngest/node`, outside Next) and run by
 * the local engine (`engine/`), which signs every call; the SDK verifies each signature. The order's
 * events go to the engine through the app's own `sendEvents`.
 *
 * Uses the devnet at DEVNET_PORT when one answers (else starts one in-process that mines a block
 * per accepted broadcast), and the database at DATABASE_URL (migrated) or an in-memory PGlite.
 * Seeds a user with balance and the devnet's pool wallets, creates an order and lets the engine
 * fulfil it; then moves the devnet's clock past the expiry with its control API and the engine's
 * clock to the next minute, when its cron starts sweep-expired (no waiting), which sends
 * delegation/expired; the engine runs the reclaim. Prints each step, the tx ids and the engine's runs.
 *
 *   npm run demo:order [-- --energy 131000 --duration 1h]
 */
import { announceTarget } from "@/scripts/load-env";
import type { Run } from "@/engine/engine";

if (!process.env.DATABASE_URL) process.env.PGLITE_DIR ??= "memory://demo";
process.env.LOG_LEVEL ??= "warn";

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : dflt;
};

// The engine and the devnet first: the app reads its Inngest and TRON settings when it loads.
let clockOffset = 0;
const { serveFunctions, startEngineForApp } = await import("./functions-server");
const engine = await startEngineForApp({ now: () => Date.now() + clockOffset });

let url = `http://127.0.0.1:${process.env.DEVNET_PORT || 9090}`;
let closeDevnet = async () => {};
let shared = false;
try {
  const r = await fetch(`${url}/_devnet/state`, { signal: AbortSignal.timeout(500) });
  shared = r.ok;
} catch {}
if (!shared) {
  const { startDevnet } = await import("@/devnet/server");
  const dn = await startDevnet({ port: 0, blockIntervalMs: 0, autoMine: true, solidityLag: 2 });
  url = dn.url;
  closeDevnet = () => dn.close();
}
// Every part of the app (the order engine, the deposit scanner, …) talks to this devnet.
const { devnetAccount } = await import("@/devnet/genesis");
Object.assign(process.env, {
  TRON_NETWORK: "devnet",
  TRON_FULL_HOST: url,
  TRONSCAN_API_URL: url,
  DEVNET_PORT: new URL(url).port,
  // collect-deposits runs with the other crons; on the devnet it collects to genesis account 0
  TREASURY_ADDRESS: process.env.TREASURY_ADDRESS || devnetAccount(0).base58,
});

const { utils } = await import("tronweb");
const { closeDb, getDb } = await import("@/db");
const { env } = await import("@/lib/env");
const { getBalance } = await import("@/lib/ledger");
const { createOrder, getOrder } = await import("@/lib/orders");
const { defaultSender, setEventSender } = await import("@/lib/events");
const { controlOf, fundedUser, importPool } = await import("@/lib/orders/testing");
const { tron } = await import("@/lib/tron/client");
const { formatTrx } = await import("@/lib/money");

await announceTarget("demo:order");
const say = (s: string) => console.log(s);
const t0 = Date.now();
const ms = () => `${String(Date.now() - t0).padStart(6)} ms`;
const eng = () => engine.running.engine;

/** Polls until `fn` gives a value; fails with the engine's view after `timeoutMs`. */
async function until<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The first finished run of `fn` matching `pick`; a failed or cancelled one stops the demo. */
const finishedRun = (what: string, fn: string, pick: (r: Run) => boolean) =>
  until(what, () => {
    const r = eng()
      .listRuns({ fnId: served!.fnId(fn), limit: 1000 })
      .find((x) => pick(x) && ["completed", "failed", "cancelled"].includes(x.status));
    if (r && r.status !== "completed")
      throw new Error(
        `${fn} run ${r.id} ${r.status}: ${r.error?.message ?? ""} (see ${engine.url}/runs/${r.id})`,
      );
    return r;
  });

const describeRun = (r: Run) =>
  `engine run ${r.id} ${r.fnId}: ${r.status} in ${(r.endedAt ?? 0) - (r.startedAt ?? r.createdAt)} ms, ` +
  `${Object.keys(r.steps).length} steps in ${r.calls} signed call${r.calls === 1 ? "" : "s"}`;

say(
  shared
    ? `devnet: using the one at ${url}`
    : `devnet: started in-process at ${url} (a block per accepted broadcast)`,
);
const ctl = controlOf(url);
const client = tron();

let served: Awaited<ReturnType<typeof serveFunctions>> | undefined;
try {
  await getDb();
  say(`database: ${env.DATABASE_URL ? "PostgreSQL (DATABASE_URL)" : "in-memory PGlite"}`);
  served = await serveFunctions(engine);
  say(`engine: local Inngest engine at ${engine.url} (run list there), every call signed`);
  say(
    `app: ${served.functionIds.length} functions served by inngest/node at ${served.url}, signatures verified, synced`,
  );
  // every status change leaves as order/status.changed: print it on its way to the engine
  setEventSender(async (events) => {
    for (const e of events)
      if (e.name === "order/status.changed")
        say(`${ms()}  order ${e.data.orderId}: ${e.data.from ?? "·"} → ${e.data.to}  (${e.data.type})`);
    await defaultSender(events);
  });

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

  // ---------------------------------------------------------------- order → engine → active
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
  const isThisOrder = (r: Run) => (r.event.data as { orderId?: number }).orderId === order.id;
  const started = await until("the engine to start fulfil-order", () =>
    eng()
      .listRuns({ fnId: served!.fnId("fulfil-order") })
      .find((r) => isThisOrder(r)),
  );
  say(`${ms()}  engine received ${started.event.name} id=${started.event.id}, started run ${started.id}`);
  const fulfilled = await finishedRun("fulfil-order to finish", "fulfil-order", isThisOrder);
  say(`${ms()}  ${describeRun(fulfilled)}`);
  let d = await getOrder({ orderId: order.id });
  if (d.status !== "active") throw new Error(`order ${order.id} is ${d.status}, not active`);
  for (const p of d.delegations)
    say(
      `${ms()}  delegation ${p.id}: ${formatTrx(p.sun)} from wallet ${p.supplierWalletId}, lock ${p.lockPeriodBlocks} blocks, txid ${p.txid}`,
    );
  const energyAfter = (await client.getAccountResources(receiver)).energyLimit;
  say(
    `${ms()}  receiver energy limit ${energyBefore} → ${energyAfter} (+${energyAfter - energyBefore}); expires ${d.expiresAt?.toISOString()}`,
  );

  // ---------------------------------------------------------------- expiry: both clocks move
  const head = (await client.getNowBlock()).timestamp;
  const jump = d.expiresAt!.getTime() - head + 6_000;
  await ctl("advance-time", { ms: jump });
  say(`${ms()}  devnet clock moved forward ${Math.round(jump / 1000)} s (control API), past the lock`);
  const tick = eng()
    .listApps()
    .flatMap((a) => a.functions)
    .find((f) => f.id === served!.fnId("sweep-expired"))?.nextCron;
  if (!tick) throw new Error("sweep-expired has no cron tick in the engine");
  const sweepFrom = eng().now();
  clockOffset += Math.max(0, tick - sweepFrom) + 5;
  say(
    `${ms()}  engine clock moved forward ${Math.round((tick - sweepFrom) / 1000)} s to the next minute: its cron starts sweep-expired`,
  );
  const sweep = await finishedRun(
    "sweep-expired to send delegation/expired",
    "sweep-expired",
    (r) => r.createdAt >= sweepFrom && ((r.output as { sent?: number } | undefined)?.sent ?? 0) > 0,
  );
  say(`${ms()}  ${describeRun(sweep)}, sent ${JSON.stringify(sweep.output)}`);

  // ---------------------------------------------------------------- reclaim
  for (const p of d.delegations) {
    const r = await finishedRun(
      `reclaim-delegation of ${p.id}`,
      "reclaim-delegation",
      (x) => (x.event.data as { delegationId?: number }).delegationId === p.id,
    );
    say(`${ms()}  ${describeRun(r)} (event ${r.event.id})`);
  }
  d = await until("the order to complete", async () => {
    const o = await getOrder({ orderId: order.id });
    return o.status === "completed" || o.status === "failed" ? o : undefined;
  });
  for (const p of d.delegations)
    say(
      `${ms()}  delegation ${p.id}: ${p.status}, reclaimed ${formatTrx(p.reclaimSun ?? 0n)}, txid ${p.reclaimTxid}`,
    );
  const energyEnd = (await client.getAccountResources(receiver)).energyLimit;
  say(`${ms()}  receiver energy limit back to ${energyEnd}`);
  say(`${ms()}  order ${d.id}: ${d.status}; balance ${formatTrx(await getBalance(userId))}`);
  say(`timeline: ${d.events.map((e) => e.type).join(" → ")}`);
  const c = eng().counts();
  say(
    `engine: ${c.completed} runs completed, ${c.failed} failed, ${c.running + c.queued + c.waiting} unfinished`,
  );
  if (d.status !== "completed") process.exitCode = 1;
} catch (e) {
  console.error(`demo failed: ${e instanceof Error ? e.message : e}`);
  process.exitCode = 1;
} finally {
  await engine.close();
  await served?.close();
  await closeDb();
  await closeDevnet();
}

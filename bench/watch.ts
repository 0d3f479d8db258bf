/**
 * `npm run bench:watch`: the watcher (lib/watch) with 10, 1,000 and 10,000 watched addresses on an
 * in-process devnet (loopback only).
 *
 * Per size, BENCH_MINUTES (3) simulated minutes: in each, BENCH_SENDERS (10) of the watched
 * addresses — real devnet accounts — send a TRX transfer, the chain moves 20 blocks (a minute), the
 * deposit scanner runs to its heads (its hook marks the senders), and one check cycle runs. Printed:
 * chain requests per minute of the check cycle (target: the number of addresses that changed,
 * whatever the number watched) and of the scanner (independent of both), and the database time of
 * a cycle. Then one idle minute (nothing sent: no chain request), and the worst case: every
 * address marked, one cycle re-reading all of them — its database time (target under 2 s at
 * 10,000) beside the ceiling from the same run, one SQL statement over the same table that sets the
 * same columns of the same rows. Also the scanner hook's time on a mainnet-sized batch (100 blocks
 * of 300 transactions) against the table.
 *
 * Database: DATABASE_URL (real PostgreSQL) or an in-memory PGlite. The watched-address table is
 * emptied first (do not point it at a database you care about).
 */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";

if (!process.env.DATABASE_URL) process.env.PGLITE_DIR = "memory://bench-watch";
process.env.LOG_LEVEL ??= "error";

const { sql } = await import("drizzle-orm");
const { utils } = await import("tronweb");
const { closeDb, getDb, getDbKind } = await import("@/db");
const { startOrderKit } = await import("@/lib/orders/testing");
const { scanOnce } = await import("@/lib/deposits/scanner");
const { setScanCursor } = await import("@/lib/deposits/cursors");
const { scannerRequests } = await import("@/lib/deposits/reader");
const { sendTrx, treasury } = await import("@/lib/deposits/testing");
const { checkCycle, markSenders } = await import("@/lib/watch");
const { hexToBase58 } = await import("@/lib/tron/address");
const { fmt } = await import("./util");

const SIZES = (process.env.BENCH_SIZES ?? "10,1000,10000").split(",").map(Number);
const MINUTES = Math.min(Number(process.env.BENCH_MINUTES ?? 3), 10);
const SENDERS = Math.min(Number(process.env.BENCH_SENDERS ?? 10), 50);
if (SIZES.some((n) => !Number.isInteger(n) || n < SENDERS || n > 20_000))
  throw new Error(`BENCH_SIZES: whole numbers from ${SENDERS} (BENCH_SENDERS) to 20,000`);

const db = await getDb();
const kind = await getDbKind();
const kit = await startOrderKit({ autoMine: false, solidityLag: 2 });

/** Real accounts that will send (funded once). */
const senders = Array.from({ length: SENDERS }, () => {
  const a = utils.accounts.generateAccount();
  return { base58: a.address.base58, privateKey: a.privateKey, hex: a.address.hex.slice(2).toLowerCase() };
});
for (const s of senders) await kit.ctl("fund", { address: s.base58, trx: 1000 });
await kit.mine(1);

/** Empties the table and watches `n` addresses: the senders plus random ones, all read just now. */
async function fill(n: number): Promise<void> {
  await db.execute(sql`delete from watched_addresses`);
  const rows: [string, string][] = senders.map((s) => [s.base58, s.hex]);
  while (rows.length < n) {
    const h = randomBytes(20).toString("hex");
    rows.push([hexToBase58(`41${h}`), h]);
  }
  for (let i = 0; i < rows.length; i += 5000) {
    const part = rows.slice(i, i + 5000);
    await db.execute(sql`insert into watched_addresses (address, hex, dirty, energy_available, checked_at)
      select a, h, false, 0, now() from unnest(string_to_array(${part.map((r) => r[0]).join(",")}, ','),
        string_to_array(${part.map((r) => r[1]).join(",")}, ',')) as t(a, h)`);
  }
  await db.execute(sql`analyze watched_addresses`);
}

async function scanToHead(): Promise<number> {
  let watched = 0;
  for (let i = 0; i < 100; i++) {
    const r = await scanOnce({ client: kit.client });
    watched += r.watched ?? 0;
    if (r.caughtUp) return watched;
  }
  throw new Error("the scanner did not catch up");
}

/** One minute of chain: the senders send, 20 blocks; the scanner and one check cycle run. */
async function minute(send: boolean) {
  if (send) for (const s of senders) await sendTrx(kit.client, treasury.base58, 1_000_000n, s);
  await kit.mine(20);
  const before = scannerRequests(kit.client).total;
  const marked = await scanToHead();
  const scanReq = scannerRequests(kit.client).total - before;
  const c = await checkCycle({ client: kit.client });
  return { marked, scanReq, checkReq: c.requests, changed: c.changed, dbMs: c.dbMs };
}

/** The scanner hook on 100 mainnet-sized blocks (300 transactions each, random senders + ours). */
async function hookMs(): Promise<number> {
  const blocks = Array.from({ length: 100 }, (_, b) => ({
    number: 1_000_000 + b,
    blockId: "",
    parentHash: "",
    timestamp: 0,
    txs: Array.from({ length: 300 }, (_, i) => ({
      txid: "",
      type: "TriggerSmartContract",
      ret: "SUCCESS",
      owner: b === 0 && i < senders.length ? `41${senders[i].hex}` : `41${randomBytes(20).toString("hex")}`,
      to: null,
      amount: 0n,
      contract: null,
      data: null,
      assetId: null,
    })),
  }));
  const t0 = performance.now();
  await markSenders(db, blocks);
  const ms = performance.now() - t0;
  await db.execute(sql`update watched_addresses set dirty = false`);
  return ms;
}

console.log(
  `bench:watch on ${kind}, devnet in-process (loopback), ${SENDERS} senders, ${MINUTES} minutes per size\n`,
);
const results: string[] = [];
try {
  await setScanCursor(null);
  await scanToHead(); // the scanner's cursor starts at the head
  for (const n of SIZES) {
    await fill(n);
    await scanToHead();
    const mins: Awaited<ReturnType<typeof minute>>[] = [];
    for (let m = 0; m < MINUTES; m++) mins.push(await minute(true));
    const idle = await minute(false);
    const avg = (f: (x: (typeof mins)[number]) => number) => mins.reduce((a, x) => a + f(x), 0) / mins.length;
    const hook = await hookMs();
    // worst case: every address marked, one cycle re-reads them all
    await db.execute(sql`update watched_addresses set dirty = true`);
    const t0 = performance.now();
    const full = await checkCycle({ client: kit.client, batch: n, safety: 0 });
    const fullWall = performance.now() - t0;
    // ceiling: one statement setting the same columns of the same rows
    await db.execute(sql`update watched_addresses set dirty = true`);
    const c0 = performance.now();
    await db.execute(
      sql`update watched_addresses set energy_available = 0, checked_at = now(), dirty = false where dirty`,
    );
    const ceiling = performance.now() - c0;
    results.push(
      [
        `${String(n).padStart(6)} watched`,
        `changed/min ${fmt(avg((x) => x.changed), 1)}`,
        `check requests/min ${fmt(avg((x) => x.checkReq), 1)} (idle minute: ${idle.checkReq})`,
        `scanner requests/min ${fmt(avg((x) => x.scanReq), 1)}`,
        `cycle DB ${fmt(avg((x) => x.dbMs), 1)} ms`,
        `hook (100×300 txs) ${fmt(hook, 1)} ms`,
        `full cycle (${full.requests} re-read) DB ${fmt(full.dbMs, 1)} ms, wall ${fmt(fullWall, 0)} ms | ceiling ${fmt(ceiling, 1)} ms`,
      ].join("  ·  "),
    );
    console.log(results[results.length - 1]);
  }
  console.log(
    "\ntarget: check requests per minute = addresses that changed (not the number watched); full cycle for 10,000 under 2,000 ms of DB time",
  );
} finally {
  await db.execute(sql`delete from watched_addresses`);
  await setScanCursor(null);
  await kit.close();
  await closeDb();
}

/**
 * `npm run bench:deposits`, two parts:
 *
 * 1. The request budget on blocks of mainnet size: an in-process devnet makes BENCH_BUDGET_MINUTES
 *    (6) minutes of chain, 20 blocks a minute of BENCH_TXS (300) mixed transactions in the mainnet
 *    JSON shape (`/_devnet/fill-blocks`); after each minute the scanner runs to its heads, as the
 *    cron does. The requests it made, by endpoint, become a daily budget (28,800 blocks, 1,440 runs),
 *    printed beside TronGrid's free quota (100,000 requests a day), the older design's figure, and
 *    the account-endpoint mode's budget per number of addresses. Ceiling from the same run: reading
 *    and parsing the same blocks bare (one request per 100 blocks, no scanner).
 * 2. Deposit-scanner throughput (blocks/s of `scanOnce`) with 10, 10,000 and 100,000 deposit
 *    addresses. Target: a flat cost per block across the sizes. Ceiling: one `select 1`.
 *
 * The chain is synthetic and in-process: a `fetch` handed to TronClient serves java-tron-shaped JSON
 * (getnowblock, walletsolidity/getnowblock, getblockbylimitnext, gettransactioninfobyblocknum) for
 * pre-generated blocks, so the figure is the scanner's own cost (JSON parsing with zod, matching,
 * database work) without node latency. Per block (mainnet-like, env-tunable): BENCH_TXS (300)
 * transactions: ~50% USDT transfers (TriggerSmartContract + a Transfer log; 2% reverted), ~35% TRX
 * transfers, ~15% other contracts; BENCH_HIT_RATE (0.2) of the blocks carry one deposit to one of
 * our addresses (alternating TRX / USDT), credited through the ledger.
 *
 * Database: DATABASE_URL (real PostgreSQL) or an in-memory PGlite. Addresses are bulk-inserted.
 */
import { randomBytes } from "node:crypto";

if (!process.env.DATABASE_URL) process.env.PGLITE_DIR = "memory://bench-deposits";
process.env.LOG_LEVEL ??= "error";

const { sql } = await import("drizzle-orm");
const { TronWeb } = await import("tronweb");
const { closeDb, getDb, getDbKind, rowsOf } = await import("@/db");
const { depositAddresses } = await import("@/db/schema");
const { TRANSFER_TOPIC, TronClient } = await import("@/lib/tron/client");
const { refreshAddressSet, resetAddressSet } = await import("@/lib/deposits/addresses");
const { scanOnce } = await import("@/lib/deposits/scanner");
const { setScanCursor } = await import("@/lib/deposits/cursors");
const { findDeposits } = await import("@/lib/deposits/find");
const { fmt } = await import("./util");

const TXS = Number(process.env.BENCH_TXS ?? 300);
const BLOCKS = Number(process.env.BENCH_BLOCKS ?? 300);
const HIT_RATE = Number(process.env.BENCH_HIT_RATE ?? 0.2);
const SIZES = (process.env.BENCH_SIZES ?? "10,10000,100000").split(",").map(Number);
/** Up and back down (10 → 10k → 100k → 10k → 10) so machine-load drift does not favour one size. */
const ORDER = [...SIZES, ...SIZES.slice(0, -1).reverse()];
const USDT_HEX = "41a614f803b6fd780986a42c78ec9c7f77e6ded13c";

const hex = (n: number) => randomBytes(n).toString("hex");
const randAddrHex = () => `41${hex(20)}`;
const word = (h: string) => h.padStart(64, "0");

// ------------------------------------------------------------------ database: users + addresses

const db = await getDb();
const kind = await getDbKind();
const addresses: string[] = []; // base58, in insertion order (the first 10 receive the deposits)
// above any index already in the database (a second run on the same database)
const [{ m: maxIndex }] = rowsOf<{ m: number | string }>(
  await db.execute(sql`select coalesce(max(derivation_index), 0) as m from deposit_addresses`),
);
const indexBase = Math.max(10_000_000, Number(maxIndex)) + 1;
const addressIds: number[] = [];

async function growAddressesTo(n: number) {
  const CHUNK = 5_000;
  while (addresses.length < n) {
    const k = Math.min(CHUNK, n - addresses.length);
    const users = (await db.execute(sql`
      insert into users (referral_code)
      select 'bench-' || md5(random()::text || g::text) from generate_series(1, ${k}) g
      returning id`)) as unknown;
    const ids = (Array.isArray(users) ? users : (users as { rows: { id: number }[] }).rows).map(
      (r: { id: unknown }) => Number(r.id),
    );
    const rows = ids.map((userId) => {
      const address = TronWeb.address.fromHex(randAddrHex());
      addresses.push(address);
      return { userId, derivationIndex: indexBase + addresses.length, address };
    });
    const ins = await db.insert(depositAddresses).values(rows).returning({ id: depositAddresses.id });
    addressIds.push(...ins.map((r) => r.id));
  }
}

/** Back to the first `n` addresses (their deposits stay: only addresses beyond n are removed). */
async function setAddressCount(n: number) {
  if (n > addresses.length) return growAddressesTo(n);
  if (n < addresses.length) {
    await db.execute(sql`delete from deposit_addresses where id > ${addressIds[n - 1]}`);
    addresses.length = n;
    addressIds.length = n;
    resetAddressSet(); // the in-memory set only grows; start it again from the database
  }
}

// ------------------------------------------------------------------ synthetic chain

type Pre = { block: string; infos: string };
const chain = new Map<number, Pre>();
let head = 0;
let solid = 0;

function genBlock(num: number, hits: { to: string; usdt: boolean } | null): Pre {
  const ts = 1_700_000_000_000 + num * 3000;
  const txs: string[] = [];
  const infos: string[] = [];
  const hitAt = hits ? Math.floor(Math.random() * TXS) : -1;
  for (let i = 0; i < TXS; i++) {
    const txid = hex(32);
    const owner = randAddrHex();
    const r = Math.random();
    const isHit = i === hitAt;
    const toHex41 = isHit ? TronWeb.address.toHex(hits!.to).toLowerCase() : randAddrHex();
    const common = `"ret":[{"contractRet":"SUCCESS"}],"signature":["${hex(65)}"],"raw_data_hex":"${hex(110)}"`;
    if ((isHit && hits!.usdt) || (!isHit && r < 0.5)) {
      const amount = isHit ? 5_000_000 : Math.floor(Math.random() * 1e9) + 1;
      const reverted = !isHit && Math.random() < 0.02;
      const data = `a9059cbb${word(toHex41.slice(2))}${word(amount.toString(16))}`;
      txs.push(
        `{${common},"txID":"${txid}","raw_data":{"contract":[{"parameter":{"value":{"data":"${data}","owner_address":"${owner}","contract_address":"${USDT_HEX}"},"type_url":"type.googleapis.com/protocol.TriggerSmartContract"},"type":"TriggerSmartContract"}],"ref_block_bytes":"${hex(2)}","ref_block_hash":"${hex(8)}","expiration":${ts + 60000},"fee_limit":100000000,"timestamp":${ts - 1000}}}`,
      );
      infos.push(
        reverted
          ? `{"id":"${txid}","fee":300000,"blockNumber":${num},"blockTimeStamp":${ts},"contractResult":[""],"contract_address":"${USDT_HEX}","receipt":{"energy_fee":300000,"energy_usage_total":3000,"net_usage":345,"result":"REVERT"},"result":"FAILED","resMessage":"${Buffer.from("REVERT opcode executed").toString("hex")}"}`
          : `{"id":"${txid}","fee":6428500,"blockNumber":${num},"blockTimeStamp":${ts},"contractResult":["${word("1")}"],"contract_address":"${USDT_HEX}","receipt":{"energy_fee":6428500,"energy_usage_total":64285,"net_usage":345,"result":"SUCCESS"},"log":[{"address":"${USDT_HEX.slice(2)}","topics":["${TRANSFER_TOPIC}","${word(owner.slice(2))}","${word(toHex41.slice(2))}"],"data":"${word(amount.toString(16))}"}]}`,
      );
    } else if (isHit || r < 0.85) {
      const amount = isHit ? 5_000_000 : Math.floor(Math.random() * 1e10) + 1;
      txs.push(
        `{${common},"txID":"${txid}","raw_data":{"contract":[{"parameter":{"value":{"amount":${amount},"owner_address":"${owner}","to_address":"${toHex41}"},"type_url":"type.googleapis.com/protocol.TransferContract"},"type":"TransferContract"}],"ref_block_bytes":"${hex(2)}","ref_block_hash":"${hex(8)}","expiration":${ts + 60000},"timestamp":${ts - 1000}}}`,
      );
      infos.push(
        `{"id":"${txid}","blockNumber":${num},"blockTimeStamp":${ts},"contractResult":[""],"receipt":{"net_usage":268}}`,
      );
    } else {
      txs.push(
        `{${common},"txID":"${txid}","raw_data":{"contract":[{"parameter":{"value":{"owner_address":"${owner}","receiver_address":"${toHex41}","balance":1000000000,"resource":"ENERGY"},"type_url":"type.googleapis.com/protocol.DelegateResourceContract"},"type":"DelegateResourceContract"}],"ref_block_bytes":"${hex(2)}","ref_block_hash":"${hex(8)}","expiration":${ts + 60000},"timestamp":${ts - 1000}}}`,
      );
      infos.push(
        `{"id":"${txid}","blockNumber":${num},"blockTimeStamp":${ts},"contractResult":[""],"receipt":{"net_usage":280}}`,
      );
    }
  }
  const blockID = num.toString(16).padStart(16, "0") + hex(24);
  const header = `"blockID":"${blockID}","block_header":{"raw_data":{"number":${num},"txTrieRoot":"${hex(32)}","witness_address":"${randAddrHex()}","parentHash":"${hex(32)}","version":31,"timestamp":${ts}},"witness_signature":"${hex(65)}"}`;
  return { block: `{${header},"transactions":[${txs.join(",")}]}`, infos: `[${infos.join(",")}]` };
}

function genRange(from: number, to: number) {
  let alt = false;
  for (let n = from; n <= to; n++) {
    let hit: { to: string; usdt: boolean } | null = null;
    if (Math.random() < HIT_RATE) {
      alt = !alt;
      hit = { to: addresses[Math.floor(Math.random() * Math.min(10, addresses.length))], usdt: alt };
    }
    chain.set(n, genBlock(n, hit));
  }
}

const headerOnly = (n: number) => {
  const b = chain.get(n)!.block;
  return `${b.slice(0, b.indexOf(',"transactions"'))}}`;
};

const fakeFetch = (async (input: string | URL | Request, init?: RequestInit) => {
  const url = new URL(String(input));
  const body = init?.body ? JSON.parse(String(init.body)) : {};
  let text: string;
  switch (url.pathname) {
    case "/wallet/getnowblock":
      text = headerOnly(head);
      break;
    case "/walletsolidity/getnowblock":
      text = headerOnly(solid);
      break;
    case "/wallet/getblockbylimitnext": {
      const parts: string[] = [];
      for (let n = body.startNum; n < body.endNum && n <= head; n++) parts.push(chain.get(n)!.block);
      text = parts.length ? `{"block":[${parts.join(",")}]}` : "{}";
      break;
    }
    case "/wallet/gettransactioninfobyblocknum":
      text = chain.get(body.num)?.infos ?? "[]";
      break;
    default:
      text = "{}";
  }
  return new Response(text, { status: 200, headers: { "content-type": "application/json" } });
}) as typeof fetch;

const client = new TronClient({
  network: "devnet",
  fullHost: "http://bench.invalid",
  timeoutMs: 30_000,
  usdtContract: "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
  fetch: fakeFetch,
});

// ------------------------------------------------------------------ 1. request budget on mainnet-size blocks

{
  const { startDevnet } = await import("@/devnet/server");
  const { devnetClient } = await import("@/lib/deposits/testing");
  const { resetScannerReader, scannerRequests } = await import("@/lib/deposits/reader");
  const MINUTES = Number(process.env.BENCH_BUDGET_MINUTES ?? 6);
  const PER_MIN = 20; // 3 s blocks
  const QUOTA = 100_000;
  const dn = await startDevnet({ port: 0, blockIntervalMs: 0, solidityLag: 19 });
  const dc = devnetClient(dn.url);
  const ctl = async (path: string, body: Record<string, unknown>) =>
    (await fetch(`${dn.url}/_devnet/${path}`, { method: "POST", body: JSON.stringify(body) })).json();
  await growAddressesTo(SIZES[0]);
  await ctl("fill-blocks", { blocks: 25, txs: TXS });
  await setScanCursor(null);
  while (!(await scanOnce({ client: dc })).caughtUp) {} // start at the heads
  resetScannerReader();
  let scanMs = 0;
  let runs = 0;
  for (let m = 0; m < MINUTES; m++) {
    await ctl("fill-blocks", { blocks: PER_MIN, txs: TXS });
    const t0 = performance.now();
    while (!(await scanOnce({ client: dc })).caughtUp) {}
    scanMs += performance.now() - t0;
    runs++;
  }
  const blocks = MINUTES * PER_MIN;
  const req = scannerRequests(dc);
  const per = (path: string) => (req.byPath[path] ?? 0) / blocks;
  const blockReads = per("wallet/getblockbylimitnext");
  const infoCalls = per("wallet/gettransactioninfobyblocknum");
  const nowPerRun =
    ((req.byPath["wallet/getnowblock"] ?? 0) + (req.byPath["walletsolidity/getnowblock"] ?? 0)) / runs;
  const perDay = Math.round((blockReads + infoCalls) * 28_800 + nowPerRun * 1_440);
  let bareBytes = 0;
  // ceiling: the same blocks read and parsed bare, 100 per request, no scanner
  const head = dn.chain.head.number;
  const c0 = performance.now();
  for (let n = head - blocks + 1; n <= head; n += 100) {
    const r = await fetch(`${dn.url}/wallet/getblockbylimitnext`, {
      method: "POST",
      body: JSON.stringify({ startNum: n, endNum: Math.min(head + 1, n + 100) }),
    });
    const text = await r.text();
    bareBytes += text.length;
    JSON.parse(text);
  }
  const bytesPerBlock = bareBytes / blocks;
  const bareMs = (performance.now() - c0) / blocks;
  console.log(
    `request budget (mainnet-size blocks: ${TXS} txs, ${fmt(bytesPerBlock / 1024, 0)} kB of JSON each; ${blocks} blocks in ${runs} one-minute runs)`,
  );
  console.log(
    `  bytes read by the scanner per block: ${fmt(req.bytes / blocks / 1024, 0)} kB (block twice, receipts once)`,
  );
  console.log(
    `  per block: ${fmt(blockReads, 3)} getblockbylimitnext (adaptive batch ≈ ${fmt(2 / Math.max(blockReads, 1e-9), 1)} blocks, head + solidified pass), ${fmt(infoCalls, 3)} gettransactioninfobyblocknum (solidified pass only); per run: ${fmt(nowPerRun, 1)} getnowblock`,
  );
  console.log(
    `  per day: ${perDay.toLocaleString("en")} requests = ${fmt((perDay / QUOTA) * 100, 1)}% of TronGrid's free ${QUOTA.toLocaleString("en")}/day` +
      ` (older design, receipts on both passes and 100-block reads: ${Math.round(28_800 * 2 + (28_800 * 2) / 100 + 1_440 * 2).toLocaleString("en")})`,
  );
  console.log(
    `  account-endpoint mode (2 requests per address per run, 1,440 runs): ${[10, 34, 100, 1000]
      .map((n) => `${n} addresses ${(2 * n * 1_440).toLocaleString("en")}/day`)
      .join(", ")}; the free quota covers ${Math.floor(QUOTA / (2 * 1_440))} addresses`,
  );
  console.log(
    `  scanner ${fmt(scanMs / blocks, 2)} ms/block over HTTP (ceiling, the same blocks read and parsed bare: ${fmt(bareMs, 2)} ms/block)`,
  );
  await dn.close();
  await setScanCursor(null);
}

// ------------------------------------------------------------------ 2. throughput per address-set size

{
  const q0 = performance.now();
  for (let i = 0; i < 200; i++) await db.execute(sql`select 1`);
  console.log(`ceiling: one SQL statement (select 1) ${fmt((performance.now() - q0) / 200, 3)} ms`);
}
console.log(
  `bench:deposits  db=${kind}  blocks/size=${BLOCKS}  txs/block=${TXS}  hit rate=${HIT_RATE}/block  sizes=${SIZES.join(", ")}`,
);
console.log(
  "addresses | set load (ms) | blocks | seconds | blocks/s | ms/block | tx/s     | deposits credited",
);
resetAddressSet();
await setScanCursor(null);
let next = 1;
const rows: { size: number; msPerBlock: number }[] = [];
// Warm-up (JIT, database caches): 50 blocks with the smallest set, not reported.
await growAddressesTo(SIZES[0]);
if (BLOCKS > 0) {
  genRange(1, 50);
  head = 50;
  solid = 50;
  await setScanCursor(1);
  while (!(await scanOnce({ client, maxBlocks: 100 })).caughtUp) {}
  for (let n = 1; n <= 50; n++) chain.delete(n);
  next = 51;
}
for (const size of ORDER) {
  await setAddressCount(size);
  const t0 = performance.now();
  await refreshAddressSet(); // incremental top-up, outside the timed scan
  const loadMs = performance.now() - t0;
  const from = next;
  const to = next + BLOCKS - 1;
  genRange(from, to);
  head = to;
  solid = to; // the crediting pass; in steady state each block is also read once by the head pass
  await setScanCursor(from);
  let credited = 0;
  const s0 = performance.now();
  for (;;) {
    const r = await scanOnce({ client, maxBlocks: 100 });
    credited += r.credited;
    if (r.caughtUp) break;
  }
  const secs = (performance.now() - s0) / 1000;
  const msPerBlock = (secs * 1000) / BLOCKS;
  rows.push({ size, msPerBlock });
  console.log(
    `${String(size).padStart(9)} | ${fmt(loadMs, 0).padStart(13)} | ${String(BLOCKS).padStart(6)} | ${fmt(secs, 2).padStart(7)} | ${fmt(BLOCKS / secs).padStart(8)} | ${fmt(msPerBlock, 2).padStart(8)} | ${fmt((BLOCKS * TXS) / secs, 0).padStart(8)} | ${credited}`,
  );
  for (let n = from; n <= to; n++) chain.delete(n);
  next = to + 1;
}
const perSize = SIZES.map((size) => {
  const ms = rows.filter((r) => r.size === size).map((r) => r.msPerBlock);
  return { size, ms: ms.reduce((a, b) => a + b, 0) / ms.length };
});
console.log(
  `mean ms/block per size: ${perSize.map((p) => `${p.size}: ${fmt(p.ms, 2)}`).join(", ")}; relative to ${SIZES[0]}: ${perSize
    .map((p) => `${fmt(p.ms / perSize[0].ms, 2)}×`)
    .join(", ")}`,
);
// Chain read + matching only (findDeposits, no database), the SAME 100 blocks for every size,
// interleaved rounds: isolates the per-transfer lookup from database and machine-load noise.
{
  const MATCH_BLOCKS = 100;
  const from = next;
  const to = next + MATCH_BLOCKS - 1;
  genRange(from, to);
  head = to;
  solid = to;
  const hits = addresses.slice(0, 10);
  const mapsOf = (n: number) => {
    const byAddress = new Map<string, { id: number; userId: number; index: number }>();
    const byEvmHex = new Map<string, { id: number; userId: number; index: number }>();
    for (let i = 0; i < n; i++) {
      const a = i < hits.length ? hits[i] : TronWeb.address.fromHex(randAddrHex());
      const e = { id: i + 1, userId: i + 1, index: i };
      byAddress.set(a, e);
      byEvmHex.set(TronWeb.address.toHex(a).slice(2).toLowerCase(), e);
    }
    return { byAddress, byEvmHex };
  };
  const sets = SIZES.map((n) => ({ n, maps: mapsOf(n), ms: [] as number[], found: 0 }));
  for (let round = 0; round < 3; round++) {
    for (const set of sets) {
      const t0 = performance.now();
      set.found = (await findDeposits(client, from, to, set.maps)).found.length;
      set.ms.push((performance.now() - t0) / MATCH_BLOCKS);
    }
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(
    `read + match only (no DB), same ${MATCH_BLOCKS} blocks, median of 3 interleaved rounds: ${sets
      .map((x) => `${x.n}: ${fmt(med(x.ms), 2)} ms/block (${x.found} found)`)
      .join(", ")}`,
  );
}
await setScanCursor(null);
await closeDb();

export {};
/**
 * `npm run bench:transfer`: pay by transfer, from a payment in a head block to the delegation
 * broadcast, on real PostgreSQL (DATABASE_URL, a database of its own) and an in-process devnet
 * (loopback only; a block per accepted broadcast, so each transfer is in the head block at once).
 *
 * Per transfer (sequential, BENCH_TRANSFERS, 40 by default, at most BENCH_MAX_SECONDS, 90): a fresh
 * sender sends an offer's amount to the rental address; then the clock starts and the path the
 * worker runs follows: the head watch's read of the head block (watchHeadOnce: getnowblock + hook),
 * process-rental-transfer (act: capacity check, the desk's ledger rows, the order) and fulfil-order
 * (plan, sign and store, broadcast), both real functions run in-process with @inngest/test; the clock
 * stops when the devnet accepts the delegation. Target: p95 < 1 s. Printed beside it, the ceiling
 * from the same run: one bare devnet broadcast (a signed TRX transfer, build to accepted) and one
 * `select 1`, p50/p95. With an Inngest server each step adds one executor round trip on top.
 */
const { setUpOrderBench } = await import("./order-setup");
const b = await setUpOrderBench({ users: 1, stakeTrxPerWallet: 20_000_000 });
const { sql } = await import("drizzle-orm");
const { utils } = await import("tronweb");
const { InngestTestEngine } = await import("@inngest/test");
const { getDb } = await import("@/db");
const { fulfilOrder } = await import("@/inngest/functions/fulfil-order");
const { processRentalTransfer } = await import("@/inngest/functions/rental-transfers");
const { orderPaid, rentalTransferReceived } = await import("@/inngest/events");
const { setScanCursor } = await import("@/lib/deposits/cursors");
const { scanOnce } = await import("@/lib/deposits/scanner");
const { sendTrx } = await import("@/lib/deposits/testing");
const { setEventSender } = await import("@/lib/events");
const { findLedgerMismatches } = await import("@/lib/ledger");
const { updateSettings } = await import("@/lib/settings");
const { rentalAddress, watchHeadOnce } = await import("@/lib/transfers");
const { fmt, percentile } = await import("./util");

const N = Number(process.env.BENCH_TRANSFERS ?? 40);
const MAX_MS = Number(process.env.BENCH_MAX_SECONDS ?? 90) * 1000;
const AMOUNT = 4_000_000n;
const { ctl, client } = b;

type Sent = { name: string; data: Record<string, unknown> };
const sent: Sent[] = [];
setEventSender(async (events) => {
  sent.push(...(events as Sent[]));
});
const take = (name: string): Sent[] => {
  const out = sent.filter((e) => e.name === name);
  sent.length = 0;
  return out;
};
const sleeps = () =>
  Array.from({ length: 60 }, (_, i) => ({
    id: `wait-${i}`,
    handler: async () => {
      await ctl("mine");
      return null;
    },
  }));
const scanToHead = async () => {
  for (let i = 0; i < 50; i++) if ((await scanOnce({ client })).caughtUp) return;
  throw new Error("the scanner did not catch up");
};

async function sender() {
  const a = utils.accounts.generateAccount();
  await ctl("fund", { address: a.address.base58, trx: 10 });
  return { base58: a.address.base58, privateKey: a.privateKey };
}

try {
  await updateSettings({
    transfer: {
      enabled: true,
      offers: [{ amountSun: AMOUNT.toString(), energy: 65_000, duration: "1h" }],
      riskCapSun: "20000000",
      refundFeeSun: "1000000",
    },
  });
  await setScanCursor(null);
  await ctl("mine", { blocks: 3 });
  await scanToHead();
  const rental = rentalAddress();
  console.log(`rental address ${rental}; ${N} transfers of ${AMOUNT / 1_000_000n} TRX, one at a time`);

  const lat: number[] = [];
  const scanMs: number[] = [];
  const actMs: number[] = [];
  const bare: number[] = [];
  const sel: number[] = [];
  const db = await getDb();
  const started = performance.now();
  for (let i = 0; i < N && performance.now() - started < MAX_MS; i++) {
    // ceiling, same run: a bare broadcast and one SQL statement
    const payer = await sender();
    const payee = await sender();
    let t = performance.now();
    await sendTrx(client, payee.base58, 1_000_000n, payer);
    bare.push(performance.now() - t);
    t = performance.now();
    await db.execute(sql`select 1`);
    sel.push(performance.now() - t);

    const from = await sender();
    await sendTrx(client, rental, AMOUNT, from); // mined at once: in the head block
    const accepted = b.delegationAccepted(from.base58);
    sent.length = 0;
    const t0 = performance.now();
    // the worker's head watch (watch-rental-head): one getnowblock, the hook, the event
    await watchHeadOnce({ client });
    scanMs.push(performance.now() - t0);
    const seen = take("rental-transfer/received");
    if (seen.length !== 1) throw new Error(`expected one rental transfer, got ${JSON.stringify(seen)}`);
    const ta = performance.now();
    const act = await new InngestTestEngine({ function: processRentalTransfer }).execute({
      events: [rentalTransferReceived.create({ transferId: Number(seen[0].data.transferId) })],
    });
    actMs.push(performance.now() - ta);
    const orderId = (act.result as { orderId?: number } | undefined)?.orderId;
    if (!orderId) throw new Error(`no order: ${JSON.stringify(act.result ?? act.error)}`);
    const run = new InngestTestEngine({ function: fulfilOrder }).execute({
      events: [orderPaid.create({ orderId })],
      steps: sleeps(),
    });
    lat.push((await accepted) - t0);
    const out = await run;
    if (out.error) throw out.error;
  }
  for (const a of [lat, scanMs, actMs, bare, sel]) a.sort((x, y) => x - y);
  const line = (name: string, a: number[]) =>
    console.log(
      `   ${name.padEnd(44)} p50 ${fmt(percentile(a, 50)).padStart(7)} ms   p95 ${fmt(percentile(a, 95)).padStart(7)} ms`,
    );
  console.log(`\n${lat.length} transfers (${fmt((performance.now() - started) / 1000)} s):`);
  line("head block seen → delegation broadcast", lat);
  line("  of which the head read (watch + hook)", scanMs);
  line("  of which process-rental-transfer (order)", actMs);
  console.log("ceiling, same run:");
  line("bare devnet broadcast (build, sign, accepted)", bare);
  line("select 1", sel);
  console.log(`\ntarget p95 < 1000 ms: ${percentile(lat, 95) < 1000 ? "met" : "NOT met"}`);
  console.log(`ledger mismatches: ${(await findLedgerMismatches()).length}`);
} finally {
  await b.close();
}

export {};
/**
 * `npm run bench:orders`: the order engine on real PostgreSQL (DATABASE_URL) with an in-process
 * devnet mining instantly (a block per accepted broadcast).
 *
 * 1. Order creations per second: createOrder (validate, quote, ledger debit, order + first event in
 *    one transaction, event send) with BENCH_CONCURRENCY in flight over 200 funded users.
 * 2. Fulfil overhead: from order/paid (the start of a fulfil-order run) to the moment the signed
 *    delegation is accepted by the node (broadcast), p50/p95, running the real function in-process
 *    with @inngest/test. With an Inngest server each step adds one executor round trip on top.
 */
const { setUpOrderBench } = await import("./order-setup");
// Orders stay paid here (no engine in the creation phase) and each holds ~6,900 TRX of stake until
// it is planned; the pool must cover every one of them, or createOrder refuses (lib/pool/capacity).
const b = await setUpOrderBench({ users: 200, stakeTrxPerWallet: 20_000_000 });
const { env } = await import("@/lib/env");
const { InngestTestEngine } = await import("@inngest/test");
const { fulfilOrder } = await import("@/inngest/functions/fulfil-order");
const { orderPaid } = await import("@/inngest/events");
const { findLedgerMismatches } = await import("@/lib/ledger");
const { createOrder } = await import("@/lib/orders");
const { newAddress } = await import("@/lib/orders/testing");
const { runConcurrent, fmt, percentile } = await import("./util");

const CREATE = Number(process.env.BENCH_ORDERS ?? 5000);
const CONC = Number(process.env.BENCH_CONCURRENCY ?? 40);
const FULFIL = Number(process.env.BENCH_FULFIL ?? 200);
const FULFIL_CONC = Number(process.env.BENCH_FULFIL_CONCURRENCY ?? 10);
const { ctl, users, run } = b;

try {
  const receivers: string[] = [];
  for (let i = 0; i < 20; i++) {
    const a = newAddress();
    await ctl("fund", { address: a, trx: 1 });
    receivers.push(a);
  }
  // warm up (settings cache, activation cache, connections)
  await Promise.all(
    receivers.map((r, i) =>
      createOrder({
        userId: users[i],
        receiver: r,
        energy: 65_000,
        duration: "1h",
        source: "api",
        idempotencyKey: `bw-${run}-${i}`,
      }),
    ),
  );

  console.log(`\n1) createOrder: ${CREATE} orders, ${CONC} in flight, ${env.DATABASE_POOL_SIZE} connections`);
  const c = await runConcurrent(CREATE, CONC, (i) =>
    createOrder({
      userId: users[i % users.length],
      receiver: receivers[i % receivers.length],
      energy: 65_000,
      duration: "1h",
      source: "api",
      idempotencyKey: `b-${run}-${i}`,
    }),
  );
  console.log(
    `   ${fmt(c.perSecond, 0)} orders/s  (p50 ${fmt(c.p50)} ms, p95 ${fmt(c.p95)} ms, errors ${c.errors})`,
  );

  // --------------------------------------------------------------- fulfil overhead
  const fresh = await b.paidOrders(FULFIL, "f");
  const lat: number[] = [];
  const steps = () =>
    Array.from({ length: 60 }, (_, i) => ({
      id: `wait-${i}`,
      handler: async () => {
        await ctl("mine");
        return null;
      },
    }));
  const full: number[] = [];
  for (const conc of [1, FULFIL_CONC]) {
    lat.length = 0;
    full.length = 0;
    const batch =
      conc === 1 ? fresh.slice(0, Math.min(50, fresh.length)) : fresh.slice(Math.min(50, fresh.length));
    const r = await runConcurrent(batch.length, conc, async (i) => {
      const { id, receiver } = batch[i];
      // the first delegation to this receiver the devnet accepts: the broadcast of its first attempt
      const accepted = b.delegationAccepted(receiver);
      const t = performance.now();
      const out = await new InngestTestEngine({ function: fulfilOrder }).execute({
        events: [orderPaid.create({ orderId: id })],
        steps: steps(),
      });
      if (out.error) throw out.error;
      if ((out.result as { status?: string } | undefined)?.status !== "active") throw new Error("not active");
      lat.push((await accepted) - t);
      full.push(performance.now() - t);
    });
    lat.sort((a, b) => a - b);
    full.sort((a, b) => a - b);
    console.log(
      `\n2) fulfil-order, ${batch.length} orders, ${conc} in flight (${fmt(r.perSecond)} fulfilments/s, errors ${r.errors})`,
    );
    console.log(
      `   order/paid → broadcast accepted: p50 ${fmt(percentile(lat, 50))} ms, p95 ${fmt(percentile(lat, 95))} ms`,
    );
    console.log(
      `   order/paid → active (incl. confirm + pool refresh): p50 ${fmt(percentile(full, 50))} ms, p95 ${fmt(percentile(full, 95))} ms`,
    );
  }
  const mism = await findLedgerMismatches();
  console.log(`\nledger mismatches: ${mism.length}`);
} finally {
  await b.close();
}

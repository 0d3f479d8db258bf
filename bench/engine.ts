/**
 * `npm run bench:engine`: fulfil-order through the local Inngest engine against the same fulfilment
 * driven in-process, in one run, on a real PostgreSQL (DATABASE_URL, a database of its own) and an
 * in-process devnet that mines a block per accepted broadcast (confirmation waits do not dominate).
 *
 * - In-process: the real fulfil-order executed by @inngest/test (as bench:orders does), no engine,
 *   no HTTP.
 * - Through the engine: the engine from engine/server.ts with a signing key, and the app's functions
 *   (inngest/index.ts, all of them) served over HTTP by the SDK's serve handler for plain Node
 *   (`inngest/node`, outside Next; `/api/inngest` wraps the same handler for Next), so every call is
 *   signed and verified; order/paid is sent by the app's own sendEvents to the engine's event API.
 *   Once with checkpointing on (the default: the SDK runs steps in line and reports them) and once
 *   off (one step per call).
 * - Ceiling, from the same engine: an event → a function of empty steps, either one step or
 *   fulfil-order's shape (7 steps, the broadcast in the 4th), so the engine + SDK share of the
 *   figures can be told apart from the app's own work.
 *
 * Figures: order/paid → the delegation accepted by the devnet, p50/p95 with 1 order in flight
 * (target: the engine adds < 50 ms at p95), and fulfilments per second (order/paid → run finished,
 * order active) with BENCH_CONCURRENCY (20) in flight (target: ≥ 50 % of the in-process figure).
 * BENCH_LATENCY_ORDERS (50), BENCH_THROUGHPUT_ORDERS (200) and BENCH_WARMUP (10) set the counts per path.
 *
 *   createdb -h 127.0.0.1 -U postgres teh_bench_engine
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/teh_bench_engine npm run bench:engine
 */
import type { Run } from "@/engine/engine";

const num = (name: string, dflt: number) => {
  const v = Number(process.env[name] ?? dflt);
  if (!Number.isInteger(v) || v < 1) {
    console.error(`${name} must be a positive integer, got "${process.env[name]}"`);
    process.exit(2);
  }
  return v;
};
const LAT = num("BENCH_LATENCY_ORDERS", 50);
const TPUT = num("BENCH_THROUGHPUT_ORDERS", 200);
const CONC = num("BENCH_CONCURRENCY", 20);
const WARM = num("BENCH_WARMUP", 10);
process.env.LOG_LEVEL ??= "error";

// The engine first: the app's Inngest client reads its base URL and keys when it is created.
const { serveFunctions, startEngineForApp } = await import("../scripts/functions-server");
const local = await startEngineForApp({ checkpointing: true });
const { setUpOrderBench } = await import("./order-setup");
const perPath = WARM + LAT + TPUT;
// each order takes about 7,000 TRX of stake for its hour; three paths, three wallets, room to spare
const b = await setUpOrderBench({ users: 100, stakeTrxPerWallet: Math.max(2_000_000, perPath * 10_000) });
const { InngestTestEngine } = await import("@inngest/test");
const { fulfilOrder } = await import("@/inngest/functions/fulfil-order");
const { sendEvents, setEventSender } = await import("@/lib/events");
const { findLedgerMismatches } = await import("@/lib/ledger");
const { orderPaidEventId } = await import("@/lib/orders");
const { safetySweepConfig } = await import("@/lib/orders/reclaim");
const { fmt, percentile, runConcurrent } = await import("./util");

// Orders wait in `paid` until the bench sends their order/paid; the safety sweep must not send it first.
safetySweepConfig.paidGraceSeconds = 86_400;

// The ceiling's function: `steps` empty steps; reaching step `mark` is reported in-process.
const reached = new Map<string, () => void>();
const served = await serveFunctions(local, {
  extra: (client) => [
    client.createFunction(
      { id: "bench-empty-steps", name: "Bench: empty steps", triggers: [{ event: "bench/empty-steps" }] },
      async ({ event, step }) => {
        const { key, steps, mark } = event.data as { key: string; steps: number; mark: number };
        for (let i = 0; i < steps; i++)
          await step.run(`empty-${i}`, () => {
            if (i === mark) reached.get(key)?.();
            return null;
          });
        return { steps };
      },
    ),
  ],
});

// ------------------------------------------------------------------ watching engine runs
const watched = new Map<string, { fnId: string; runId?: string; done: (r: Run) => void }>();
let polling: NodeJS.Timeout | undefined;
function poll() {
  const eng = local.running.engine;
  for (const [eventId, w] of watched) {
    w.runId ??= eng.listRuns({ fnId: w.fnId, limit: 200 }).find((r) => r.event.id === eventId)?.id;
    const run = w.runId ? eng.getRun(w.runId) : undefined;
    if (run && ["completed", "failed", "cancelled"].includes(run.status)) {
      watched.delete(eventId);
      w.done(run);
    }
  }
  polling = watched.size ? setTimeout(poll, 2) : undefined;
}
/** The engine's run started by the event `eventId`, once it has finished. */
function finished(fn: string, eventId: string): Promise<Run> {
  return new Promise((done) => {
    watched.set(eventId, { fnId: served.fnId(fn), done });
    polling ??= setTimeout(poll, 2);
  });
}

// ------------------------------------------------------------------ the two ways to fulfil
type Order = { id: number; receiver: string };
type One = { toBroadcast: number; calls?: number };

const mocks = () =>
  Array.from({ length: 60 }, (_, i) => ({
    id: `wait-${i}`,
    handler: async () => {
      await b.ctl("mine");
      return null;
    },
  }));

async function inProcess(o: Order): Promise<One> {
  const accepted = b.delegationAccepted(o.receiver);
  const t = performance.now();
  const out = await new InngestTestEngine({ function: fulfilOrder }).execute({
    events: [{ name: "order/paid", data: { orderId: o.id } }],
    steps: mocks(),
  });
  if (out.error) throw out.error;
  if ((out.result as { status?: string } | undefined)?.status !== "active")
    throw new Error(`order ${o.id} not active`);
  return { toBroadcast: (await accepted) - t };
}

async function viaEngine(o: Order): Promise<One> {
  const accepted = b.delegationAccepted(o.receiver);
  const id = orderPaidEventId(o.id);
  const run = finished("fulfil-order", id);
  const t = performance.now();
  if (!(await sendEvents([{ name: "order/paid", data: { orderId: o.id }, id }])))
    throw new Error("order/paid not sent");
  const r = await run;
  if (r.status !== "completed" || (r.output as { status?: string } | null)?.status !== "active")
    throw new Error(`order ${o.id}: run ${r.status} ${r.error?.message ?? JSON.stringify(r.output)}`);
  return { toBroadcast: (await accepted) - t, calls: r.calls };
}

type Figures = { p50: number; p95: number; perSecond: number; errors: number; calls?: number };

async function measure(label: string, fulfil: (o: Order) => Promise<One>, viaEngineSender: boolean) {
  setEventSender(async () => {}); // orders are created quietly, then fulfilled by the path measured
  const orders = await b.paidOrders(perPath, label.replace(/[^a-z0-9]+/gi, "-"));
  setEventSender(viaEngineSender ? null : async () => {});
  process.stdout.write(`  ${label}: warm-up ${WARM}, ${LAT} at 1 in flight, ${TPUT} at ${CONC} in flight…`);
  for (const o of orders.slice(0, WARM)) await fulfil(o);
  const lat: number[] = [];
  const calls: number[] = [];
  for (const o of orders.slice(WARM, WARM + LAT)) {
    const r = await fulfil(o);
    lat.push(r.toBroadcast);
    if (r.calls !== undefined) calls.push(r.calls);
  }
  lat.sort((x, y) => x - y);
  const batch = orders.slice(WARM + LAT);
  const t = await runConcurrent(batch.length, CONC, (i) => fulfil(batch[i]));
  console.log(" done");
  return {
    p50: percentile(lat, 50),
    p95: percentile(lat, 95),
    perSecond: t.perSecond,
    errors: t.errors,
    calls: calls.length ? calls.reduce((a, c) => a + c, 0) / calls.length : undefined,
  } satisfies Figures;
}

/** The engine's bare cost: event → step `mark` of `steps` empty steps; runs/s at CONC in flight. */
async function ceiling(label: string, steps: number, mark: number): Promise<Figures> {
  let n = 0;
  const one = async () => {
    const key = `${label}-${b.run}-${n++}`;
    const at = new Promise<number>((r) => reached.set(key, () => r(performance.now())));
    const id = `bench-empty-${key}`;
    const run = finished("bench-empty-steps", id);
    const t = performance.now();
    if (!(await sendEvents([{ name: "bench/empty-steps", data: { key, steps, mark }, id }])))
      throw new Error("event not sent");
    const r = await run;
    if (r.status !== "completed") throw new Error(`empty run ${r.status}`);
    reached.delete(key);
    return { toMark: (await at) - t, calls: r.calls };
  };
  for (let i = 0; i < WARM; i++) await one();
  const lat: number[] = [];
  const calls: number[] = [];
  for (let i = 0; i < LAT; i++) {
    const r = await one();
    lat.push(r.toMark);
    calls.push(r.calls);
  }
  lat.sort((x, y) => x - y);
  const t = await runConcurrent(TPUT, CONC, () => one());
  return {
    p50: percentile(lat, 50),
    p95: percentile(lat, 95),
    perSecond: t.perSecond,
    errors: t.errors,
    calls: calls.reduce((a, c) => a + c, 0) / calls.length,
  };
}

// ------------------------------------------------------------------ run
const results: Record<string, Figures> = {};
try {
  console.log(
    `bench:engine: engine ${local.url} (signed calls), app served by inngest/node at ${served.url} ` +
      `(${served.functionIds.length} functions), devnet ${b.dn.url} (a block per broadcast), PostgreSQL`,
  );
  results.inProcess = await measure("in-process (@inngest/test)", inProcess, false);
  results.engineOn = await measure("engine, checkpointing on", viaEngine, true);
  results.ceilOn1 = await ceiling("ceiling-on-1", 1, 0);
  results.ceilOn7 = await ceiling("ceiling-on-7", 7, 3);
  await local.restart({ checkpointing: false });
  results.engineOff = await measure("engine, checkpointing off", viaEngine, true);
  results.ceilOff1 = await ceiling("ceiling-off-1", 1, 0);
  results.ceilOff7 = await ceiling("ceiling-off-7", 7, 3);

  const ip = results.inProcess;
  const ms = (v: number) => `${fmt(v)} ms`;
  const row = (cells: string[]) =>
    console.log(cells.map((c, i) => (i === 0 ? c.padEnd(44) : c.padStart(20))).join(""));
  console.log(
    `\nfulfil-order, order/paid → delegation accepted by the devnet (1 in flight, ${LAT} orders), ` +
      `fulfilments/s (order/paid → run finished, ${CONC} in flight, ${TPUT} orders)\n`,
  );
  row(["", "in-process", "engine, ckpt on", "engine, ckpt off"]);
  row(["→ broadcast p50", ms(ip.p50), ms(results.engineOn.p50), ms(results.engineOff.p50)]);
  row(["→ broadcast p95", ms(ip.p95), ms(results.engineOn.p95), ms(results.engineOff.p95)]);
  const added = (f: Figures) => f.p95 - ip.p95;
  const verdict = (ok: boolean) => (ok ? "met" : "MISSED");
  row([
    "  engine adds at p95 (target < 50 ms)",
    "",
    `${ms(added(results.engineOn))} ${verdict(added(results.engineOn) < 50)}`,
    `${ms(added(results.engineOff))} ${verdict(added(results.engineOff) < 50)}`,
  ]);
  row([
    `fulfilments/s at ${CONC} in flight`,
    fmt(ip.perSecond),
    fmt(results.engineOn.perSecond),
    fmt(results.engineOff.perSecond),
  ]);
  const share = (f: Figures) => f.perSecond / ip.perSecond;
  row([
    "  share of in-process (target ≥ 50 %)",
    "",
    `${fmt(share(results.engineOn) * 100, 0)} % ${verdict(share(results.engineOn) >= 0.5)}`,
    `${fmt(share(results.engineOff) * 100, 0)} % ${verdict(share(results.engineOff) >= 0.5)}`,
  ]);
  row([
    "signed calls per fulfilment",
    "none",
    fmt(results.engineOn.calls ?? 0),
    fmt(results.engineOff.calls ?? 0),
  ]);
  row(["errors", String(ip.errors), String(results.engineOn.errors), String(results.engineOff.errors)]);
  console.log("\nceiling: the same engine, events → functions of empty steps (no database, no chain)\n");
  row(["", "", "engine, ckpt on", "engine, ckpt off"]);
  for (const [label, on, off] of [
    ["event → 1 empty step: p50", results.ceilOn1.p50, results.ceilOff1.p50],
    ["event → 1 empty step: p95", results.ceilOn1.p95, results.ceilOff1.p95],
    ["event → 4th of 7 empty steps: p50", results.ceilOn7.p50, results.ceilOff7.p50],
    ["event → 4th of 7 empty steps: p95", results.ceilOn7.p95, results.ceilOff7.p95],
  ] as const)
    row([label, "", ms(on), ms(off)]);
  row([
    `1-step runs/s at ${CONC} in flight`,
    "",
    fmt(results.ceilOn1.perSecond),
    fmt(results.ceilOff1.perSecond),
  ]);
  row([
    `7-step runs/s at ${CONC} in flight`,
    "",
    fmt(results.ceilOn7.perSecond),
    fmt(results.ceilOff7.perSecond),
  ]);
  row(["signed calls per 7-step run", "", fmt(results.ceilOn7.calls ?? 0), fmt(results.ceilOff7.calls ?? 0)]);
  const mism = await findLedgerMismatches();
  console.log(`\nledger mismatches: ${mism.length}`);
} finally {
  if (polling) clearTimeout(polling);
  await local.close();
  await served.close();
  await b.close();
}

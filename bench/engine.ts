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
 *   With checkpointing on (the default: the SDK runs steps in line and reports them) and off (one
 *   step per call): the engine's option is switched between orders, so both modes share one engine.
 * - Ceiling, from the same engine: an event → a function of empty steps, either one step or
 *   fulfil-order's shape (7 steps, the broadcast in the 4th), so the engine + SDK share of the
 *   figures can be told apart from the app's own work.
 * - BENCH_NEXT=1 adds the engine → `next start` (checkpointing on): the built app (`npm run build`
 *   first) in production mode on a loopback port, its /api/inngest synced to the same engine, and
 *   measured in turns with in-process orders of its own.
 *
 * The paths are measured in turns (one order each in rotation at 1 in flight, then throughput
 * windows taken in turns), so a change in the machine's load hits them alike. Each order is created
 * by createOrder right before it is fulfilled (none waits in `paid` for the safety sweep to re-send
 * it). In-process, its order/paid is swallowed and the clock starts when the function starts;
 * through the engine, createOrder's own send goes to the engine's event API and the clock starts when
 * the app hands order/paid to `inngest.send`. Figures: order/paid → the delegation accepted by the
 * devnet, p50/p95 with 1 order in flight (target: the engine adds < 50 ms at p95), and fulfilments
 * per second (createOrder + fulfil-order until its run has finished, order active) with
 * BENCH_CONCURRENCY (20) in flight (target: ≥ 50 % of the in-process figure). BENCH_LATENCY_ORDERS
 * (50), BENCH_THROUGHPUT_ORDERS (200) and BENCH_WARMUP (10) set the counts per path.
 *
 *   createdb -h 127.0.0.1 -U postgres teh_bench_engine
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/teh_bench_engine npm run bench:engine
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
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
const NEXT = process.env.BENCH_NEXT === "1";
if (NEXT && !existsSync(".next/BUILD_ID")) {
  console.error("BENCH_NEXT=1 runs the built app with next start: run `npm run build` first.");
  process.exit(2);
}
process.env.LOG_LEVEL ??= "error";
// A key of this run's own for the pool's private keys, so a `next start` server can sign with them.
process.env.KEY_ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
process.env.DATA_ENCRYPTION_KEY ??= randomBytes(32).toString("base64");

// The engine first: the app's Inngest client reads its base URL and keys when it is created.
const { serveFunctions, startEngineForApp } = await import("../scripts/functions-server");
const local = await startEngineForApp({ checkpointing: true });
const { setUpOrderBench } = await import("./order-setup");
const paths = NEXT ? 5 : 3; // next start is measured with in-process orders of its own
const perPath = WARM + LAT + TPUT;
// each order takes about 7,000 TRX of stake for its hour: room for every path's orders
const b = await setUpOrderBench({
  users: 100,
  stakeTrxPerWallet: Math.max(2_000_000, Math.ceil((paths * perPath * 10_000) / 3)),
});
const { InngestTestEngine } = await import("@inngest/test");
const { fulfilOrder } = await import("@/inngest/functions/fulfil-order");
const { defaultSender, sendEvents, setEventSender } = await import("@/lib/events");
const { findLedgerMismatches } = await import("@/lib/ledger");
const { orderPaidEventId } = await import("@/lib/orders");
const { fmt, percentile, runConcurrent } = await import("./util");

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

// ------------------------------------------------------------------ event senders
const quiet = async () => {};
/** When each order's order/paid was handed to `inngest.send` (the app's sender, timed). */
const paidSentAt = new Map<number, number>();
const timedSender: typeof defaultSender = async (events) => {
  const t = performance.now();
  for (const e of events) if (e.name === "order/paid") paidSentAt.set(Number(e.data.orderId), t);
  await defaultSender(events);
};

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
function finished(fnId: string, eventId: string): Promise<Run> {
  return new Promise((done) => {
    watched.set(eventId, { fnId, done });
    polling ??= setTimeout(poll, 2);
  });
}
const FULFIL_FN = served.fnId("fulfil-order");

// ------------------------------------------------------------------ the ways to fulfil
type One = { toBroadcast: number; calls?: number };
type Path = { label: string; prepare: () => void; fulfil: (receiver: string, key: string) => Promise<One> };

const mocks = () =>
  Array.from({ length: 60 }, (_, i) => ({
    id: `wait-${i}`,
    handler: async () => {
      await b.ctl("mine");
      return null;
    },
  }));

async function inProcess(receiver: string, key: string): Promise<One> {
  const o = await b.paidOrder(receiver, key);
  const accepted = b.delegationAccepted(receiver);
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

async function viaEngine(receiver: string, key: string): Promise<One> {
  const accepted = b.delegationAccepted(receiver);
  const o = await b.paidOrder(receiver, key); // its order/paid goes to the engine
  const t = paidSentAt.get(o.id);
  paidSentAt.delete(o.id);
  if (t === undefined) throw new Error(`order ${o.id}: order/paid was not sent`);
  const r = await finished(FULFIL_FN, orderPaidEventId(o.id));
  if (r.status !== "completed" || (r.output as { status?: string } | null)?.status !== "active")
    throw new Error(`order ${o.id}: run ${r.status} ${r.error?.message ?? JSON.stringify(r.output)}`);
  return { toBroadcast: (await accepted) - t, calls: r.calls };
}

/**
 * The engine's `checkpointing` option, read on every call it makes, switched between orders (never
 * while a measured run is in flight) so both modes share one engine and one stretch of time.
 */
const setCheckpointing = (on: boolean) => {
  local.running.engine.opts.checkpointing = on;
};
const IN_PROCESS: Path = {
  label: "in-process (@inngest/test)",
  prepare: () => setEventSender(quiet),
  fulfil: inProcess,
};
const engineWith = (on: boolean, label: string): Path => ({
  label,
  prepare: () => {
    setEventSender(timedSender);
    setCheckpointing(on);
  },
  fulfil: viaEngine,
});

type Figures = { p50: number; p95: number; perSecond: number; errors: number; calls?: number };

/** Throughput windows per path, taken in turns. */
const WINDOWS = 2;

/**
 * Measures `paths` side by side, interleaved so that a change in the machine's load hits them
 * alike: warm-up and latency orders one per path in rotating turns, then WINDOWS throughput windows
 * per path in turns (figures summed over each path's windows).
 */
async function compare(paths: Path[]): Promise<Figures[]> {
  const n = paths.length;
  const receivers = await b.receivers(n * perPath);
  let used = 0;
  const order = () => {
    const i = used++;
    return [receivers[i], `${paths.length}p-${i}`] as const;
  };
  console.log(
    `  ${paths.map((p) => p.label).join(" | ")}: warm-up ${WARM} and ${LAT} at 1 in flight each, in turns…`,
  );
  const lat: number[][] = paths.map(() => []);
  const calls: number[][] = paths.map(() => []);
  for (let i = 0; i < WARM + LAT; i++)
    for (let j = 0; j < n; j++) {
      const k = (i + j) % n;
      paths[k].prepare();
      const r = await paths[k].fulfil(...order());
      if (i < WARM) continue;
      lat[k].push(r.toBroadcast);
      if (r.calls !== undefined) calls[k].push(r.calls);
    }
  console.log(`  … ${TPUT} each at ${CONC} in flight, in ${WINDOWS} windows per path taken in turns…`);
  const seconds = paths.map(() => 0);
  const count = paths.map(() => 0);
  const errors = paths.map(() => 0);
  let firstError: unknown;
  for (let w = 0; w < WINDOWS; w++)
    for (let j = 0; j < n; j++) {
      const k = (w + j) % n;
      const size = Math.floor(TPUT / WINDOWS) + (w < TPUT % WINDOWS ? 1 : 0);
      const batch = Array.from({ length: size }, order);
      paths[k].prepare();
      const t = await runConcurrent(size, CONC, (i) =>
        paths[k].fulfil(...batch[i]).catch((e) => {
          firstError ??= e;
          throw e;
        }),
      );
      seconds[k] += t.seconds;
      count[k] += size;
      errors[k] += t.errors;
    }
  setEventSender(quiet);
  if (firstError) console.log(`  first error: ${firstError}`);
  return paths.map((_, k) => {
    const l = lat[k].sort((x, y) => x - y);
    return {
      p50: percentile(l, 50),
      p95: percentile(l, 95),
      perSecond: count[k] / seconds[k],
      errors: errors[k],
      calls: calls[k].length ? calls[k].reduce((a, c) => a + c, 0) / calls[k].length : undefined,
    };
  });
}

/** The engine's bare cost: event → step `mark` of `steps` empty steps; runs/s at CONC in flight. */
async function ceiling(label: string, steps: number, mark: number): Promise<Figures> {
  setEventSender(defaultSender);
  let n = 0;
  const one = async () => {
    const key = `${label}-${b.run}-${n++}`;
    const at = new Promise<number>((r) => reached.set(key, () => r(performance.now())));
    const id = `bench-empty-${key}`;
    const t = performance.now();
    if (!(await sendEvents([{ name: "bench/empty-steps", data: { key, steps, mark }, id }])))
      throw new Error("event not sent");
    const r = await finished(served.fnId("bench-empty-steps"), id);
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
  setEventSender(quiet);
  return {
    p50: percentile(lat, 50),
    p95: percentile(lat, 95),
    perSecond: t.perSecond,
    errors: t.errors,
    calls: calls.reduce((a, c) => a + c, 0) / calls.length,
  };
}

// ------------------------------------------------------------------ next start (BENCH_NEXT=1)
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** The built app under `next start` (production mode, as `npm start` runs it), wired to the engine. */
async function startNext() {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      "--min-semi-space-size=64",
      "--max-semi-space-size=64",
      "node_modules/next/dist/bin/next",
      "start",
      "-p",
      String(port),
      "-H",
      "127.0.0.1",
    ],
    {
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        ...process.env,
        ...local.appEnv,
        NODE_ENV: "production",
        PORT: String(port),
        APP_URL: `http://127.0.0.1:${port}`,
        AUTH_SECRET: randomBytes(32).toString("base64url"),
        // The public BIP39 test mnemonic's account xpub: devnet deposit addresses only.
        DEPOSIT_XPUB:
          "xpub6D1AabNHCupeiLM65ZR9UStMhJ1vCpyV4XbZdyhMZBiJXALQtmn9p42VTQckoHVn8WNqS7dqnJokZHAHcHGoaQgmv8D45oNUKx6DZMNZBCd",
        TELEGRAM_MODE: "off",
        NEXT_TELEMETRY_DISABLED: "1",
      },
    },
  );
  const url = `http://127.0.0.1:${port}/api/inngest`;
  const close = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  // up once it answers anything (its /api/inngest refuses unsigned requests in production mode)
  const end = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    try {
      await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(5_000) });
      break;
    } catch {}
    if (Date.now() > end) {
      await close();
      throw new Error("next start did not answer within 60 s");
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, close };
}

// ------------------------------------------------------------------ run
const results: Record<string, Figures> = {};
let next: Awaited<ReturnType<typeof startNext>> | undefined;
setEventSender(quiet);
try {
  console.log(
    `bench:engine: engine ${local.url} (signed calls), app served by inngest/node at ${served.url} ` +
      `(${served.functionIds.length} functions), devnet ${b.dn.url} (a block per broadcast), PostgreSQL`,
  );
  [results.inProcess, results.engineOn, results.engineOff] = await compare([
    IN_PROCESS,
    engineWith(true, "engine, checkpointing on"),
    engineWith(false, "engine, checkpointing off"),
  ]);
  setCheckpointing(true);
  results.ceilOn1 = await ceiling("ceiling-on-1", 1, 0);
  results.ceilOn7 = await ceiling("ceiling-on-7", 7, 3);
  setCheckpointing(false);
  results.ceilOff1 = await ceiling("ceiling-off-1", 1, 0);
  results.ceilOff7 = await ceiling("ceiling-off-7", 7, 3);
  if (NEXT) {
    next = await startNext();
    await served.close(); // one app id, one serve URL: the engine now calls next start only
    await local.restart({ checkpointing: true }, [next.url]);
    console.log(`  next start at ${next.url} (production build), synced to the engine`);
    [results.nextInProcess, results.next] = await compare([
      IN_PROCESS,
      {
        label: "engine → next start, checkpointing on",
        prepare: () => setEventSender(timedSender),
        fulfil: viaEngine,
      },
    ]);
  }

  const ip = results.inProcess;
  // each engine column against the in-process figures measured in turns with it
  const cols: [Figures, Figures][] = [
    [results.engineOn, ip],
    [results.engineOff, ip],
    ...(NEXT ? [[results.next, results.nextInProcess] as [Figures, Figures]] : []),
  ];
  const ms = (v: number) => `${fmt(v)} ms`;
  const row = (cells: string[]) =>
    console.log(cells.map((c, i) => (i === 0 ? c.padEnd(40) : c.padStart(20))).join(""));
  const verdict = (ok: boolean) => (ok ? "met" : "MISSED");
  const added = ([f, ref]: [Figures, Figures]) => f.p95 - ref.p95;
  const share = ([f, ref]: [Figures, Figures]) => f.perSecond / ref.perSecond;
  console.log(
    `\nfulfil-order: order/paid → delegation accepted by the devnet (1 in flight, ${LAT} orders); ` +
      `fulfilments/s (createOrder + fulfil-order run finished, ${CONC} in flight, ${TPUT} orders)\n`,
  );
  row(["", "in-process", "engine, ckpt on", "engine, ckpt off", ...(NEXT ? ["next start, ckpt on"] : [])]);
  row(["→ broadcast p50", ms(ip.p50), ...cols.map(([f]) => ms(f.p50))]);
  row(["→ broadcast p95", ms(ip.p95), ...cols.map(([f]) => ms(f.p95))]);
  row([
    "  engine adds at p95 (target < 50 ms)",
    "",
    ...cols.map((c) => `${ms(added(c))} ${verdict(added(c) < 50)}`),
  ]);
  row([`fulfilments/s at ${CONC} in flight`, fmt(ip.perSecond), ...cols.map(([f]) => fmt(f.perSecond))]);
  row([
    "  share of in-process (target ≥ 50 %)",
    "",
    ...cols.map((c) => `${fmt(share(c) * 100, 0)} % ${verdict(share(c) >= 0.5)}`),
  ]);
  row(["signed calls per fulfilment", "none", ...cols.map(([f]) => fmt(f.calls ?? 0))]);
  row(["errors", String(ip.errors), ...cols.map(([f]) => String(f.errors))]);
  if (NEXT) {
    const r = results.nextInProcess;
    console.log(
      `  next start is measured in turns with in-process orders of its own and compared with those: ` +
        `p50 ${ms(r.p50)}, p95 ${ms(r.p95)}, ${fmt(r.perSecond)} fulfilments/s, errors ${r.errors}`,
    );
  }
  console.log(
    "\nceiling: the same engine and app, events → a function of empty steps (no database, no chain)\n",
  );
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
  await next?.close();
  await served.close();
  await b.close();
}

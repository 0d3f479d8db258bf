/**
 * `npm run bench:api`: the reseller API under autocannon on loopback, against a production build
 * (`next start`) and real PostgreSQL, measured in the same run as the bare `/api/ping` route (the
 * framework's ceiling on this machine). Prints req/s, p50/p95 and the ratios to /api/ping for
 * GET /api/v1/price and POST /api/v1/orders (a distinct Idempotency-Key per request).
 *
 * Two ways to run it:
 *  1. Self-contained (default): build once, then the bench starts everything itself:
 *       NEXT_DIST_DIR=.next-api npx next build
 *       DATABASE_URL=postgres://postgres@127.0.0.1:5432/teh_api_bench npm run bench:api
 *     It migrates DATABASE_URL, starts an in-process devnet (BENCH_DEVNET_PORT, default 9401) and a
 *     loopback stand-in for the Inngest event API (accepts events; nothing runs them, so orders
 *     stay `paid`), then `next start -p BENCH_PORT` (default 3401) from NEXT_DIST_DIR (.next-api).
 *  2. Against a server you started (BENCH_URL=http://127.0.0.1:3401): the server must use the same
 *     DATABASE_URL, and BENCH_RECEIVER must be an address activated on the server's TRON network.
 *
 * Seeds a user with a balance and an API key (high per-key limit) directly through lib functions.
 * BENCH_SECONDS (10) per route, BENCH_CONNECTIONS (50); BENCH_APP_DIR: a tree holding the build
 * (default: the current directory; e.g. a copy of the tree when a shared working tree does not build).
 * The server's stdout goes to BENCH_SERVER_LOG (/tmp/bench-api-server.log).
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

process.env.DATABASE_POOL_SIZE ??= "5";
if (!process.env.BENCH_URL) {
  // Self-contained: this process seeds the pool from the bench's own devnet, as the server reads it.
  const devnetUrl = `http://127.0.0.1:${Number(process.env.BENCH_DEVNET_PORT ?? 9401)}`;
  Object.assign(process.env, {
    TRON_NETWORK: "devnet",
    TRON_FULL_HOST: devnetUrl,
    TRONSCAN_API_URL: devnetUrl,
  });
}
const { env } = await import("@/lib/env");
if (!env.DATABASE_URL) {
  console.error(
    "bench:api needs DATABASE_URL (a real PostgreSQL), e.g. postgres://postgres@127.0.0.1:5432/teh_api_bench",
  );
  process.exit(1);
}
const autocannon = (await import("autocannon" as string)).default as (opts: any) => any;
const { percentile, fmt } = await import("./util");

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const PORT = Number(process.env.BENCH_PORT ?? 3401);
const DEVNET_PORT = Number(process.env.BENCH_DEVNET_PORT ?? 9401);
const DIST = process.env.NEXT_DIST_DIR || ".next-api";
const SERVER_LOG = process.env.BENCH_SERVER_LOG || "/tmp/bench-api-server.log";
/** Where the build lives (default: this tree); `next start` runs there. */
const APP_DIR = process.env.BENCH_APP_DIR || process.cwd();

const cleanups: (() => Promise<void> | void)[] = [];
async function cleanup() {
  for (const c of cleanups.reverse()) await c();
}

async function waitFor(url: string, ms: number) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${ms} ms`);
}

let baseUrl = process.env.BENCH_URL;
let receiver = process.env.BENCH_RECEIVER;

if (!baseUrl) {
  // migrate, devnet, Inngest stand-in, next start
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  const client = postgres(env.DATABASE_URL, { max: 1, onnotice: () => {} });
  await migrate(drizzle(client), { migrationsFolder: "db/migrations" });
  await client.end();

  const { startDevnet } = await import("@/devnet/server");
  const dn = await startDevnet({ port: DEVNET_PORT, blockIntervalMs: 1000, autoMine: true });
  cleanups.push(() => dn.close());
  const { utils } = await import("tronweb");
  receiver = utils.accounts.generateAccount().address.base58;
  const r = await fetch(`${dn.url}/_devnet/fund`, {
    method: "POST",
    body: JSON.stringify({ address: receiver, trx: 1 }),
  });
  if (!r.ok) throw new Error(`devnet fund: ${r.status}`);
  // A pool staked far beyond what the run orders: orders stay paid (nothing fulfils them) and each
  // one holds its share of the pool's capacity, which createOrder checks.
  const { controlOf, importPool, resetPoolForTests } = await import("@/lib/orders/testing");
  const { devnetAccount } = await import("@/devnet/genesis");
  const ctl = controlOf(dn.url);
  for (const i of [1, 2, 3])
    await ctl("stake", {
      address: devnetAccount(i).base58,
      sun: 100_000_000 * 1_000_000,
      resource: "ENERGY",
      fromBalance: false,
    });
  await resetPoolForTests();
  await importPool([1, 2, 3]);

  let events = 0;
  const inngestStub = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      events++;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ ids: [], status: 200 }));
    });
  });
  await new Promise<void>((ok) => inngestStub.listen(0, "127.0.0.1", () => ok()));
  cleanups.push(() => new Promise<void>((ok) => inngestStub.close(() => ok())));
  cleanups.push(() => console.log(`(Inngest stand-in received ${events} event posts)`));
  const inngestUrl = `http://127.0.0.1:${(inngestStub.address() as AddressInfo).port}`;

  const { freshProductionSecrets } = await import("@/lib/security/testing");
  const child: ChildProcess = spawn("npx", ["next", "start", "-p", String(PORT), "-H", "127.0.0.1"], {
    stdio: ["ignore", fs.openSync(SERVER_LOG, "w"), "inherit"],
    cwd: APP_DIR,
    detached: true,
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_DIST_DIR: DIST,
      DATABASE_URL: env.DATABASE_URL,
      DATABASE_POOL_SIZE: process.env.BENCH_SERVER_POOL ?? "10",
      TRON_NETWORK: "devnet",
      DEVNET_PORT: String(DEVNET_PORT),
      // fresh secrets of the real shapes: production refuses weak ones and Inngest dev mode
      ...freshProductionSecrets(),
      INNGEST_BASE_URL: inngestUrl,
      TELEGRAM_MODE: "off",
      LOG_LEVEL: "warn",
    },
  });
  cleanups.push(() => {
    try {
      if (child.pid) process.kill(-child.pid, "SIGTERM");
    } catch {}
  });
  baseUrl = `http://127.0.0.1:${PORT}`;
  try {
    await waitFor(`${baseUrl}/api/ping`, 60_000);
  } catch (e) {
    await cleanup();
    throw e;
  }
}
if (!receiver) {
  console.error("With BENCH_URL, set BENCH_RECEIVER to an address activated on the server's TRON network.");
  process.exit(1);
}

// seed: a user with a large balance and a key with a high per-key limit
const { closeDb } = await import("@/db");
const { credit } = await import("@/lib/ledger");
const { createUser } = await import("@/lib/users");
const { createApiKey } = await import("@/lib/api/keys");
const run = Date.now().toString(36);
const user = await createUser({ firstName: "bench" });
await credit({ userId: user.id, amountSun: 100_000_000n * 1_000_000n, idempotencyKey: `bench-api:${run}` });
const { key } = await createApiKey({ userId: user.id, name: "bench", rateLimitPerMinute: 100_000 });
// a second shape: the same load spread over 50 customers (orders of one user serialize on its balance)
const spreadKeys: string[] = [];
for (let i = 0; i < 50; i++) {
  const u = await createUser({ firstName: `bench-${i}` });
  await credit({ userId: u.id, amountSun: 1_000_000n * 1_000_000n, idempotencyKey: `bench-api:${run}:${i}` });
  spreadKeys.push((await createApiKey({ userId: u.id, name: "bench", rateLimitPerMinute: 100_000 })).key);
}

type Figures = {
  name: string;
  rps: number;
  p50: number;
  p95: number;
  ok: number;
  bad: number;
  codes: Record<number, number>;
};

async function measure(
  name: string,
  opts: Record<string, unknown>,
  seconds = SECONDS,
  expected = 200,
): Promise<Figures> {
  const lat: number[] = [];
  const codes: Record<number, number> = {};
  const { path = "/", ...rest } = opts as { path?: string };
  const inst = autocannon({ url: `${baseUrl}${path}`, connections: CONNECTIONS, duration: seconds, ...rest });
  inst.on("response", (_c: unknown, status: number, _b: number, ms: number) => {
    lat.push(ms);
    codes[status] = (codes[status] ?? 0) + 1;
  });
  const result = await inst;
  lat.sort((a, b) => a - b);
  const ok = codes[expected] ?? 0;
  return {
    name,
    rps: ok / (result.duration || seconds),
    p50: percentile(lat, 50),
    p95: percentile(lat, 95),
    ok,
    bad: lat.length - ok,
    codes,
  };
}

const orderOpts = {
  path: "/api/v1/orders",
  method: "POST",
  // autocannon replaces [<id>] with a fresh id in every request: a distinct Idempotency-Key each time
  idReplacement: true,
  headers: {
    authorization: `Bearer ${key}`,
    "content-type": "application/json",
    "idempotency-key": `bench-${run}-[<id>]`,
  },
  body: JSON.stringify({ receiver, energy: 65_000, duration: "1h" }),
};
const spreadOpts = {
  path: "/api/v1/orders",
  idReplacement: true,
  requests: spreadKeys.map((k) => ({
    method: "POST",
    path: "/api/v1/orders",
    headers: {
      authorization: `Bearer ${k}`,
      "content-type": "application/json",
      "idempotency-key": `bench-${run}-s-[<id>]`,
    },
    body: orderOpts.body,
  })),
};
const priceOpts = { path: "/api/v1/price?energy=65000&duration=1h" };
const pingOpts = { path: "/api/ping" };

try {
  // sanity: one order through the real route must be created (201)
  const probe = await fetch(`${baseUrl}/api/v1/orders`, {
    method: "POST",
    headers: { ...orderOpts.headers, "idempotency-key": `bench-${run}-probe` },
    body: orderOpts.body,
  });
  if (probe.status !== 201)
    throw new Error(`POST /api/v1/orders probe: ${probe.status} ${await probe.text()}`);
  // warm-up (compile paths, JIT, connection pools)
  await measure("warm ping", pingOpts, 2);
  await measure("warm price", priceOpts, 2);
  await measure("warm orders", { ...orderOpts, connections: 10 }, 2, 201);

  const ping = await measure("GET /api/ping (bare route)", pingOpts);
  const price = await measure("GET /api/v1/price", priceOpts);
  const orders = await measure("POST /api/v1/orders (201)", orderOpts, SECONDS, 201);
  const spread = await measure("POST /orders, 50 users", spreadOpts, SECONDS, 201);

  console.log(`\nbench:api — ${CONNECTIONS} connections, ${SECONDS} s per route, ${baseUrl}\n`);
  for (const f of [ping, price, orders, spread])
    console.log(
      `${f.name.padEnd(28)} ${fmt(f.rps, 0).padStart(6)} ok/s   p50 ${fmt(f.p50, 1)} ms   p95 ${fmt(f.p95, 1)} ms   ` +
        `(${f.ok} ok, ${f.bad} other: ${JSON.stringify(f.codes)})`,
    );
  console.log(
    `\nGET /price   / ping = ${fmt(price.rps / ping.rps, 2)}  (target ≥ 0.7)` +
      `\nPOST /orders / ping = ${fmt(orders.rps / ping.rps, 2)}  (target ≥ 0.3; creations/s, one user, distinct Idempotency-Keys)` +
      `\nPOST /orders / ping = ${fmt(spread.rps / ping.rps, 2)}  (same, spread over 50 users)`,
  );
} finally {
  await closeDb();
  await cleanup();
}

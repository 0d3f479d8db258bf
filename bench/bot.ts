/**
 * `npm run bench:bot`: the Telegram webhook under load, end to end: `next start` (production build
 * in BENCH_DIST_DIR, default .next-bot; built first unless BENCH_SKIP_BUILD=1), real PostgreSQL
 * (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/teh_bot_bench, created and
 * migrated here), a fake Bot API on loopback, and an in-process devnet for balance queries.
 *
 * 1. Latency at a fixed offered rate (open loop, BENCH_RATE = 100 updates/s for BENCH_SECONDS = 10):
 *    a menu tap (callback "m:home": answer + balance + default wallet + edit) and a balance query
 *    (a pasted address never seen before: chain read through the devnet + card).
 * 2. Most updates/s sustained (autocannon, closed loop, BENCH_CONNECTIONS = 50) for menu taps,
 *    against a bare route (/api/ping) measured in the same run: ratio = bot / ping.
 * Figures are printed, never asserted. Each update has a fresh update_id; users rotate over
 * BENCH_USERS (2,000) so the per-user rate limit (5 per 2 s) is never hit. Every menu tap's
 * callback must be answered: answers are counted in the webhook replies (where the bot puts
 * answerCallbackQuery) plus the fake Bot API's calls. The server's CPU time per request (Linux
 * /proc, the `next start` process group) is printed for each phase: on a shared, busy machine it
 * moves much less than throughput does.
 */
import { readdirSync, readFileSync } from "node:fs";
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import postgres from "postgres";
import { utils } from "tronweb";

const ROOT = process.cwd();
const DB_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/teh_bot_bench";
const DIST = process.env.BENCH_DIST_DIR ?? ".next-bot";
const PORT = Number(process.env.BENCH_PORT ?? 3310);
const RATE = Number(process.env.BENCH_RATE ?? 100);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const USERS = Number(process.env.BENCH_USERS ?? 2000);
const TOKEN = "123456:BENCH-token-for-the-fake-bot-api";
const SECRET = "bench-webhook-secret-0123456789";
const BASE = `http://127.0.0.1:${PORT}`;

const autocannon = (await import("autocannon" as string)).default as (opts: any) => Promise<any>;
const { startFakeBotApi, textUpdate, callbackUpdate } = await import("@/lib/bot/testing/fake-bot-api");
const { startDevnet } = await import("@/devnet/server");
const { freshProductionSecrets } = await import("@/lib/security/testing");
const { percentile, fmt } = await import("./util");

// ------------------------------------------------------------------ database
{
  const u = new URL(DB_URL);
  const name = u.pathname.slice(1);
  const admin = postgres({
    host: u.hostname,
    port: Number(u.port || 5432),
    user: u.username,
    database: "postgres",
    onnotice: () => {},
  });
  const [exists] = await admin`select 1 from pg_database where datname = ${name}`;
  if (!exists) await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  const c = postgres(DB_URL, { max: 1, onnotice: () => {} });
  await migrate(drizzle(c), { migrationsFolder: path.join(ROOT, "db", "migrations") });
  await c.end();
}

// ------------------------------------------------------------------ peers: fake Bot API + devnet
const api = await startFakeBotApi();
const dn = await startDevnet({ port: 0, blockIntervalMs: 0 });
/** Runs Next's CLI in its own process group, so stopping it stops the server it forks. */
const NEXT_BIN = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");
const run = (args: string[], env: NodeJS.ProcessEnv, quiet = false): ChildProcess =>
  spawn(process.execPath, [NEXT_BIN, ...args], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: quiet ? ["ignore", "ignore", "inherit"] : "inherit",
  });

const appEnv: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: "production",
  NEXT_DIST_DIR: DIST,
  DATABASE_URL: DB_URL,
  DATABASE_POOL_SIZE: process.env.BENCH_POOL ?? "20",
  LOG_LEVEL: "error",
  TELEGRAM_BOT_TOKEN: TOKEN,
  TELEGRAM_BOT_USERNAME: "bench_energy_bot",
  TELEGRAM_WEBHOOK_SECRET: SECRET,
  TELEGRAM_API_ROOT: api.url,
  TELEGRAM_MODE: "webhook",
  TRON_NETWORK: "devnet",
  TRON_FULL_HOST: dn.url,
  TRONSCAN_API_URL: dn.url,
  // fresh secrets of the real shapes: production refuses weak ones and Inngest dev mode
  ...freshProductionSecrets(),
  INNGEST_BASE_URL: "http://127.0.0.1:1", // no Inngest server: event sends fail at once on loopback
};

// Compile mode: the bench needs the server bundle, not a type check (that is `npm run typecheck`).
if (process.env.BENCH_SKIP_BUILD !== "1") {
  console.log(`building into ${DIST}…`);
  const b = run(
    ["build", "--experimental-build-mode=compile"],
    { ...appEnv, NEXT_PHASE: "phase-production-build" },
    true,
  );
  const code = await new Promise<number>((r) => b.on("exit", (c) => r(c ?? 1)));
  if (code !== 0) throw new Error(`next build failed (${code})`);
}
const server = run(["start", "-p", String(PORT), "-H", "127.0.0.1"], appEnv, true);
const stop = async () => {
  try {
    process.kill(-server.pid!, "SIGTERM");
  } catch {}
  await api.close();
  await dn.close();
};
for (let i = 0; i < 120; i++) {
  try {
    if ((await fetch(`${BASE}/api/ping`)).ok) break;
  } catch {}
  await new Promise((r) => setTimeout(r, 500));
}

// ------------------------------------------------------------------ helpers
let tgBase = 9_100_000_000 + Math.floor(Math.random() * 100_000_000);
const users = Array.from({ length: USERS }, () => ({
  id: ++tgBase,
  first_name: "Bench",
  language_code: "en",
}));
let updateId = Math.floor(Date.now() / 1000) * 1000;
const headers = { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET };
/** Callback answers sent back in webhook replies (the rest are Bot API calls, counted by the fake). */
let repliedAnswers = 0;
const post = (body: unknown) =>
  fetch(`${BASE}/api/telegram`, { method: "POST", headers, body: JSON.stringify(body) }).then(async (r) => {
    const text = await r.text();
    if (r.status !== 200) throw new Error(`HTTP ${r.status}`);
    if (text.includes('"answerCallbackQuery"') && JSON.parse(text).method === "answerCallbackQuery")
      repliedAnswers++;
  });

/** CPU seconds used so far by the server's process group (Linux); null elsewhere. */
const TICK = 100; // USER_HZ
function serverCpu(): number | null {
  try {
    let ticks = 0;
    for (const d of readdirSync("/proc")) {
      if (!/^\d+$/.test(d)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${d}/stat`, "utf8");
      } catch {
        continue;
      }
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // fields after the name: state(0) ppid(1) pgrp(2) … utime(11) stime(12)
      if (Number(f[2]) === server.pid) ticks += Number(f[11]) + Number(f[12]);
    }
    return ticks / TICK;
  } catch {
    return null;
  }
}
/** Runs `fn`, returning its result and the server CPU ms per request it used (`requests` done). */
async function withCpu<T>(fn: () => Promise<T>, requests: (r: T) => number) {
  const c0 = serverCpu();
  const r = await fn();
  const c1 = serverCpu();
  const n = requests(r);
  return { r, cpuMs: c0 === null || c1 === null || n === 0 ? null : ((c1 - c0) * 1000) / n };
}
const cpuText = (ms: number | null) => (ms === null ? "" : `, server CPU ${fmt(ms, 2)} ms/request`);
const menuTap = (i: number) => callbackUpdate(users[i % USERS], "m:home", { message_id: 10 }, ++updateId);
const addresses = Array.from(
  { length: RATE * SECONDS + 100 },
  () => utils.accounts.generateAccount().address.base58,
);
const balanceQuery = (i: number) => textUpdate(users[i % USERS], addresses[i % addresses.length], ++updateId);

/** Open loop: `rate` per second for `seconds`, each request timed on its own. */
async function fixedRate(make: (i: number) => unknown, rate: number, seconds: number) {
  const total = rate * seconds;
  const lat: number[] = [];
  let errors = 0;
  const t0 = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const s = performance.now();
    inflight.push(
      post(make(i)).then(
        () => void lat.push(performance.now() - s),
        () => void errors++,
      ),
    );
  }
  await Promise.all(inflight);
  lat.sort((a, b) => a - b);
  return { p50: percentile(lat, 50), p95: percentile(lat, 95), p99: percentile(lat, 99), errors, n: total };
}

async function cannon(pathName: string, body?: (i: number) => unknown) {
  let i = 0;
  const r = await autocannon({
    url: `${BASE}${pathName}`,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      body
        ? {
            method: "POST",
            headers,
            setupRequest: (req: any) => ({ ...req, body: JSON.stringify(body(i++)) }),
          }
        : { method: "GET" },
    ],
  });
  return {
    rps: r.requests.average,
    total: r.requests.total as number,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
  };
}

// ------------------------------------------------------------------ run
try {
  console.log(`warming up: /start for ${USERS} users…`);
  for (let k = 0; k < USERS; k += 50)
    await Promise.all(users.slice(k, k + 50).map((u) => post(textUpdate(u, "/start", ++updateId))));
  await fixedRate(menuTap, 50, 2);

  const calls0 = api.of("answerCallbackQuery").length;
  const replied0 = repliedAnswers;
  const { r: menu, cpuMs: menuCpu } = await withCpu(
    () => fixedRate(menuTap, RATE, SECONDS),
    (m) => m.n,
  );
  const answered = repliedAnswers - replied0 + api.of("answerCallbackQuery").length - calls0;
  console.log(
    `menu tap @ ${RATE}/s offered: p50 ${fmt(menu.p50)} ms, p95 ${fmt(menu.p95)} ms, p99 ${fmt(menu.p99)} ms, errors ${menu.errors}/${menu.n}${cpuText(menuCpu)}  (target p95 < 50 ms)`,
  );
  console.log(
    `  callbacks answered: ${answered}/${menu.n} (${repliedAnswers - replied0} in the webhook reply, ${api.of("answerCallbackQuery").length - calls0} by Bot API call)`,
  );
  const { r: bal, cpuMs: balCpu } = await withCpu(
    () => fixedRate(balanceQuery, RATE, SECONDS),
    (b) => b.n,
  );
  console.log(
    `balance query @ ${RATE}/s offered (new address each time, devnet reads): p50 ${fmt(bal.p50)} ms, p95 ${fmt(bal.p95)} ms, p99 ${fmt(bal.p99)} ms, errors ${bal.errors}/${bal.n}${cpuText(balCpu)}`,
  );

  const { r: ping, cpuMs: pingCpu } = await withCpu(
    () => cannon("/api/ping"),
    (x) => x.total,
  );
  const { r: bot, cpuMs: botCpu } = await withCpu(
    () => cannon("/api/telegram", menuTap),
    (x) => x.total,
  );
  const { r: ping2, cpuMs: ping2Cpu } = await withCpu(
    () => cannon("/api/ping"),
    (x) => x.total,
  );
  const pingRps = (ping.rps + ping2.rps) / 2;
  console.log(
    `bare route /api/ping: ${fmt(ping.rps, 0)} / ${fmt(ping2.rps, 0)} req/s (before / after)${cpuText(pingCpu)} / ${ping2Cpu === null ? "?" : fmt(ping2Cpu, 2)}`,
  );
  console.log(
    `menu taps sustained: ${fmt(bot.rps, 0)} updates/s (p50 ${bot.p50} ms, p99 ${bot.p99} ms, non-2xx ${bot.non2xx}, errors ${bot.errors})${cpuText(botCpu)}`,
  );
  console.log(`ratio bot / bare route: ${fmt(bot.rps / pingRps, 2)} (target ≥ 0.4)`);
  if (botCpu !== null && pingCpu !== null && ping2Cpu !== null)
    console.log(
      `  by server CPU per request: ${fmt((pingCpu + ping2Cpu) / 2 / botCpu, 2)} (bare route / bot: the throughput ratio when both are bound by the server CPU alone)`,
    );
  console.log(`fake Bot API calls recorded: ${api.calls.length}`);
} finally {
  await stop();
}
process.exit(0);

/**
 * The two choices behind the TRON client's transport, measured side by side on loopback:
 *
 * 1. HTTP client: lib/http's leanFetch versus undici's `Pool.request` and the platform's fetch, one
 *    JSON POST at a time and 16 in flight, against a bare node:http server in a child process
 *    (so the server's work is not on the clients' core). The ceiling is a bare `node:http` request
 *    on a keep-alive agent, reading the reply's bytes, with nothing around it.
 * 2. bigint-safe JSON: lib/tron/json's parseJsonBig versus lossless-json and json-bigint (both
 *    turning only unsafe integers into bigint) on replies captured from the in-process devnet
 *    (an account, its resources, a block page with transactions, the receipts of a block). The
 *    ceiling is plain JSON.parse, which loses precision above 2^53.
 *
 *   npm run bench:http      (BENCH_CALLS overrides the default 2,000 calls per client; each
 *                            section also stops after BENCH_SECONDS, default 10, per client)
 */
import { fork } from "node:child_process";
import http from "node:http";
import JSONbig from "json-bigint";
import { parse as losslessParse, parseNumberAndBigInt } from "lossless-json";
import { Pool } from "undici";
import { leanFetch } from "../lib/http/fetch";
import { parseJsonBig } from "../lib/tron/json";
import { fmt, percentile } from "./util";

const CALLS = Number(process.env.BENCH_CALLS ?? 2000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

if (process.argv[2] === "--serve") {
  // The child: answers every POST with the body the parent sent over IPC for that path.
  const bodies = new Map<string, string>();
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const b = bodies.get(req.url ?? "") ?? "{}";
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(b) });
      res.end(b);
    });
  });
  server.keepAliveTimeout = 60_000;
  process.on("message", (m: { bodies: Record<string, string> }) => {
    for (const [k, v] of Object.entries(m.bodies)) bodies.set(k, v);
    server.listen(0, "127.0.0.1", () => {
      process.send?.({ port: (server.address() as { port: number }).port });
    });
  });
} else {
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}

type Stats = { n: number; meanUs: number; p50Us: number; p95Us: number };

function stats(lat: number[]): Stats {
  lat.sort((a, b) => a - b);
  return {
    n: lat.length,
    meanUs: lat.reduce((s, x) => s + x, 0) / lat.length,
    p50Us: percentile(lat, 50),
    p95Us: percentile(lat, 95),
  };
}

const row = (name: string, s: Stats, extra = "") =>
  `${name.padEnd(38)} mean ${fmt(s.meanUs, 0).padStart(6)} µs   p50 ${fmt(s.p50Us, 0).padStart(6)} µs   p95 ${fmt(s.p95Us, 0).padStart(6)} µs  (n=${s.n})${extra}`;

/** Round-robin over the candidates (A, B, C, A, B, C, …) so drift and GC hit all equally. */
async function interleaved(fns: (() => Promise<unknown> | unknown)[], n: number): Promise<Stats[]> {
  for (let i = 0; i < Math.min(200, n); i++) for (const f of fns) await f(); // warm-up
  const lat = fns.map(() => [] as number[]);
  const end = performance.now() + SECONDS * 1000 * fns.length;
  for (let i = 0; i < n && performance.now() < end; i++) {
    for (const [j, f] of fns.entries()) {
      const t = performance.now();
      await f();
      lat[j].push((performance.now() - t) * 1000);
    }
  }
  return lat.map(stats);
}

/** `total` calls with `concurrency` in flight (or until the time is up); calls per second. */
async function throughput(fn: () => Promise<unknown>, total: number, concurrency: number): Promise<number> {
  let done = 0;
  const t0 = performance.now();
  const end = t0 + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (done < total && performance.now() < end) {
        done++;
        await fn();
      }
    }),
  );
  return done / ((performance.now() - t0) / 1000);
}

async function captureReplies(): Promise<Record<string, string>> {
  const { startDevnet } = await import("../devnet/server");
  const { devnetAccount } = await import("../devnet/genesis");
  const { devnetClient, sendToken, sendTrx } = await import("../lib/deposits/testing");
  const dn = await startDevnet({ port: 0, blockIntervalMs: 0, autoMine: false });
  try {
    const post = async (path: string, body: unknown = {}) => {
      const r = await fetch(`${dn.url}/${path}`, { method: "POST", body: JSON.stringify(body) });
      return r.text();
    };
    // a chain with transfers in it (TRX and USDT, 10 a block): blocks and receipts as the scanner reads them
    const client = devnetClient(dn.url);
    for (let block = 0; block < 20; block++) {
      for (let i = 0; i < 10; i++) {
        const to = devnetAccount(5 + (i % 5)).base58;
        if (i % 2) await sendToken(client, to, BigInt(1_000_000 + i));
        else await sendTrx(client, to, BigInt(1_000_000 + i));
      }
      await post("_devnet/mine", { blocks: 1 });
    }
    const hex = devnetAccount(1).hex;
    const head = JSON.parse(await post("wallet/getnowblock")).block_header.raw_data.number as number;
    return {
      "/wallet/getaccount": await post("wallet/getaccount", { address: hex }),
      "/wallet/getaccountresource": await post("wallet/getaccountresource", { address: hex }),
      "/wallet/getblockbylimitnext": await post("wallet/getblockbylimitnext", {
        startNum: Math.max(1, head - 30),
        endNum: head + 1,
      }),
      "/wallet/gettransactioninfobyblocknum": await post("wallet/gettransactioninfobyblocknum", {
        num: head,
      }),
    };
  } finally {
    await dn.close();
  }
}

/** JSON.stringify replacer: every integer as its digits, whatever form a parser gave it. */
const exact = (_k: string, v: unknown) =>
  typeof v === "bigint" || typeof v === "number" || (typeof v === "string" && /^-?\d{16,}$/.test(v))
    ? `#${String(v)}`
    : v;

async function main() {
  const replies = await captureReplies();

  // ---------------------------------------------------------------- bigint-safe JSON
  console.log("bigint-safe JSON parsers on devnet replies (interleaved, µs per parse)\n");
  const lossless = (t: string) => losslessParse(t, null, parseNumberAndBigInt);
  const jsonBig = JSONbig({ useNativeBigInt: true });
  for (const [path, text] of Object.entries(replies)) {
    // all three must read the same integers before they are timed (parseJsonBig leaves 16+ digit
    // integers as strings for the schemas to turn into bigint; the others give bigint or number)
    const want = JSON.stringify(parseJsonBig(text), exact);
    for (const [name, p] of [
      ["lossless-json", lossless],
      ["json-bigint", (t: string) => jsonBig.parse(t)],
    ] as const) {
      const got = JSON.stringify(p(text), exact);
      if (got !== want) throw new Error(`${name} reads ${path} differently from parseJsonBig`);
    }
    const n = Math.max(200, Math.min(20_000, Math.round(2e7 / text.length)));
    const [ceil, own, ll, jb] = await interleaved(
      [() => JSON.parse(text), () => parseJsonBig(text), () => lossless(text), () => jsonBig.parse(text)],
      n,
    );
    console.log(`${path} (${text.length} bytes)`);
    console.log(row("  JSON.parse (ceiling, not exact)", ceil));
    console.log(row("  parseJsonBig (lib/tron/json)", own));
    console.log(row("  lossless-json 4.3.3", ll));
    console.log(row("  json-bigint 1.0.0", jb));
  }

  // ---------------------------------------------------------------- HTTP clients
  const child = fork(process.argv[1], ["--serve"], { stdio: "inherit" });
  const port = await new Promise<number>((resolve) => {
    child.once("message", (m: { port: number }) => resolve(m.port));
    child.send({ bodies: replies });
  });
  const origin = `http://127.0.0.1:${port}`;
  const path = "/wallet/getaccount";
  const body = JSON.stringify({ address: "41a614f803b6fd780986a42c78ec9c7f77e6ded13c" });
  const headers = { "content-type": "application/json", accept: "application/json" };
  const agent = new http.Agent({ keepAlive: true });
  const pool = new Pool(origin, { connections: 16 });
  try {
    const bare = () =>
      new Promise<string>((resolve, reject) => {
        const req = http.request(
          `${origin}${path}`,
          {
            method: "POST",
            agent,
            headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
            res.on("error", reject);
          },
        );
        req.on("error", reject);
        req.end(body);
      });
    const lean = async () =>
      (
        await leanFetch(`${origin}${path}`, {
          method: "POST",
          headers,
          body,
          signal: AbortSignal.timeout(5000),
        })
      ).text();
    const undici = async () => {
      const r = await pool.request({
        path,
        method: "POST",
        headers,
        body,
        signal: AbortSignal.timeout(5000),
      });
      return r.body.text();
    };
    const platform = async () =>
      (
        await fetch(`${origin}${path}`, { method: "POST", headers, body, signal: AbortSignal.timeout(5000) })
      ).text();

    console.log(
      `\nHTTP clients: POST ${path} (${replies[path].length} bytes back), server in a child process\n`,
    );
    const [sBare, sLean, sUndici, sFetch] = await interleaved([bare, lean, undici, platform], CALLS);
    console.log(row("bare node:http request (ceiling)", sBare));
    console.log(row("leanFetch (lib/http/fetch)", sLean));
    console.log(row("undici Pool.request 7.30.3", sUndici));
    console.log(row("fetch (Node's, undici inside)", sFetch));
    console.log("\n16 in flight, calls per second");
    for (const [name, fn] of [
      ["bare node:http request (ceiling)", bare],
      ["leanFetch (lib/http/fetch)", lean],
      ["undici Pool.request 7.30.3", undici],
      ["fetch (Node's, undici inside)", platform],
    ] as const) {
      const perSecond = await throughput(fn, CALLS * 2, 16);
      console.log(`${name.padEnd(38)} ${fmt(perSecond, 0).padStart(7)} /s`);
    }
  } finally {
    agent.destroy();
    await pool.close();
    child.kill();
  }
}

/**
 * TronClient overhead per call on loopback against the in-process devnet, versus a raw `fetch` of
 * the same endpoint(s), so the client's own cost (zod parsing, bigint mapping, metrics, retries
 * wrapper) is visible. Sequential calls (one in flight) to measure latency, not throughput.
 *   npm run bench:tron        (BENCH_CALLS overrides the default 2,000)
 * Also runs bench/tron-devnet.ts `benchDevnetBroadcasts()` when present.
 */
import { devnetAccount } from "../devnet/genesis";
import { startDevnet } from "../devnet/server";
import { TronClient } from "../lib/tron/client";
import { fmt, percentile } from "./util";

const CALLS = Number(process.env.BENCH_CALLS ?? 2000);

type Stats = { meanUs: number; p50Us: number; p95Us: number };

function stats(lat: number[]): Stats {
  lat.sort((a, b) => a - b);
  return {
    meanUs: lat.reduce((s, x) => s + x, 0) / lat.length,
    p50Us: percentile(lat, 50),
    p95Us: percentile(lat, 95),
  };
}

/** Interleaves raw and client calls (A, B, A, B, …) so drift and GC hit both equally. */
async function measurePair(
  n: number,
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
): Promise<[Stats, Stats]> {
  for (let i = 0; i < Math.min(200, n); i++) {
    await a();
    await b();
  } // warm-up
  const la: number[] = [];
  const lb: number[] = [];
  for (let i = 0; i < n; i++) {
    let t = performance.now();
    await a();
    la.push((performance.now() - t) * 1000);
    t = performance.now();
    await b();
    lb.push((performance.now() - t) * 1000);
  }
  return [stats(la), stats(lb)];
}

const row = (name: string, s: Stats) =>
  `${name.padEnd(44)} mean ${fmt(s.meanUs, 0).padStart(6)} µs   p50 ${fmt(s.p50Us, 0).padStart(6)} µs   p95 ${fmt(s.p95Us, 0).padStart(6)} µs`;

async function main() {
  const dn = await startDevnet({ port: 0, blockIntervalMs: 0 });
  try {
    const client = new TronClient({
      network: "devnet",
      fullHost: dn.url,
      tronscanUrl: dn.url,
      tronscanKey: "bench",
      timeoutMs: 5000,
      usdtContract: "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
    });
    const pool = devnetAccount(1);
    const hex = pool.hex;
    const usdtHex = "41a614f803b6fd780986a42c78ec9c7f77e6ded13c";
    const post = (path: string, body: unknown) =>
      fetch(`${dn.url}/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }).then((r) => r.json());

    console.log(`TronClient vs raw fetch, ${CALLS} sequential calls each, devnet on loopback\n`);
    const [rawMax, cliMax] = await measurePair(
      CALLS,
      () => post("wallet/getcandelegatedmaxsize", { owner_address: hex, type: 1 }),
      () => client.getCanDelegatedMaxSize(pool.base58),
    );
    const [rawOverview, cliOverview] = await measurePair(
      CALLS,
      () =>
        Promise.all([
          post("wallet/getaccount", { address: hex }),
          post("wallet/getaccountresource", { address: hex }),
          post("wallet/triggerconstantcontract", {
            owner_address: hex,
            contract_address: usdtHex,
            function_selector: "balanceOf(address)",
            parameter: hex.slice(2).padStart(64, "0"),
          }),
        ]),
      () => client.getAccountOverview(pool.base58),
    );
    console.log(row("raw fetch getcandelegatedmaxsize", rawMax));
    console.log(row("TronClient.getCanDelegatedMaxSize", cliMax));
    console.log(`${"  overhead (mean)".padEnd(44)} ${fmt(cliMax.meanUs - rawMax.meanUs, 0)} µs/call`);
    console.log(row("raw fetch getaccount+resource+balanceOf (‖)", rawOverview));
    console.log(row("TronClient.getAccountOverview", cliOverview));
    console.log(
      `${"  overhead (mean)".padEnd(44)} ${fmt(cliOverview.meanUs - rawOverview.meanUs, 0)} µs/call`,
    );
  } finally {
    await dn.close();
  }

  let devnetBench: ((o?: { txs?: number }) => Promise<Record<string, unknown>>) | undefined;
  try {
    devnetBench = (await import("./tron-devnet")).benchDevnetBroadcasts as unknown as typeof devnetBench;
  } catch {
    console.log("\nbench/tron-devnet.ts not present: skipping broadcast throughput");
  }
  if (devnetBench) {
    const r = await devnetBench();
    console.log(
      `\ndevnet broadcasts: ${fmt(Number(r.acceptedPerSecond), 0)} accepted/s (${r.accepted}/${r.txs} accepted, concurrency ${r.concurrency}, p50 ${fmt(Number(r.p50Ms), 2)} ms, p95 ${fmt(Number(r.p95Ms), 2)} ms)`,
    );
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);

/**
 * Devnet broadcast throughput: pre-build and sign N TRX transfers from several funded accounts against
 * one block header, then broadcast them over HTTP with fixed concurrency.
 *   npx tsx bench/tron-devnet.ts        (BENCH_TXS, BENCH_CONCURRENCY override the defaults)
 */
import { pathToFileURL } from "node:url";
import { TronWeb, utils } from "tronweb";
import { devnetAccount } from "../devnet/genesis";
import { startDevnet } from "../devnet/server";

export interface DevnetBenchResult {
  txs: number;
  concurrency: number;
  accepted: number;
  rejected: number;
  seconds: number;
  acceptedPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  signMs: number;
}

export async function benchDevnetBroadcasts(
  opts: { txs?: number; concurrency?: number; senders?: number } = {},
): Promise<DevnetBenchResult> {
  const n = opts.txs ?? 2000;
  const concurrency = opts.concurrency ?? 20;
  const senderCount = opts.senders ?? 5;
  const devnet = await startDevnet({ port: 0, blockIntervalMs: 0, autoMine: false });
  try {
    const tw = new TronWeb({ fullHost: devnet.url });
    const senders = Array.from({ length: senderCount }, (_, i) => devnetAccount(i));
    const block = await tw.trx.getCurrentBlock();
    const h = block.block_header.raw_data;
    const blockHeader = {
      ref_block_bytes: h.number.toString(16).slice(-4).padStart(4, "0"),
      ref_block_hash: block.blockID.slice(16, 32),
      expiration: h.timestamp + 10 * 60_000,
      timestamp: h.timestamp,
    };
    const receivers = Array.from({ length: 50 }, () => utils.accounts.generateAccount().address.base58);
    const t0 = performance.now();
    const signed: any[] = [];
    for (let i = 0; i < n; i++) {
      const from = senders[i % senders.length];
      const tx = await tw.transactionBuilder.sendTrx(
        receivers[i % receivers.length],
        1_000_000 + i,
        from.base58,
        {
          blockHeader,
        },
      );
      signed.push(await tw.trx.sign(tx, from.privateKey));
    }
    const signMs = performance.now() - t0;

    const latencies: number[] = [];
    let accepted = 0;
    let next = 0;
    const url = `${devnet.url}/wallet/broadcasttransaction`;
    const worker = async () => {
      while (next < signed.length) {
        const tx = signed[next++];
        const s = performance.now();
        const r = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(tx),
        });
        const j = (await r.json()) as { result?: boolean };
        latencies.push(performance.now() - s);
        if (j.result) accepted++;
      }
    };
    const start = performance.now();
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = (performance.now() - start) / 1000;
    latencies.sort((a, b) => a - b);
    const pct = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
    return {
      txs: n,
      concurrency,
      accepted,
      rejected: n - accepted,
      seconds: Number(seconds.toFixed(3)),
      acceptedPerSecond: Math.round(accepted / seconds),
      p50Ms: Number(pct(0.5).toFixed(2)),
      p95Ms: Number(pct(0.95).toFixed(2)),
      signMs: Math.round(signMs),
    };
  } finally {
    await devnet.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const txs = Number(process.env.BENCH_TXS ?? 2000);
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 20);
  benchDevnetBroadcasts({ txs, concurrency }).then(
    (r) => {
      console.log(
        `devnet broadcasts: ${r.accepted}/${r.txs} accepted in ${r.seconds}s → ${r.acceptedPerSecond} tx/s ` +
          `(concurrency ${r.concurrency}); latency p50 ${r.p50Ms} ms, p95 ${r.p95Ms} ms; signing took ${r.signMs} ms`,
      );
      console.log(JSON.stringify(r));
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}

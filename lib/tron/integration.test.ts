import { utils } from "tronweb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Devnet, startDevnet } from "@/devnet/server";
import { devnetAccount } from "@/devnet/genesis";
import { AppError } from "@/lib/errors";
import { captureLogs } from "@/lib/log";
import { registry } from "@/lib/metrics";
import { TronClient, trc20Transfers } from "@/lib/tron/client";
import { ChainError } from "@/lib/tron/errors";
import { importKey } from "@/lib/tron/keys";
import {
  delegationSunForEnergy,
  energyForSun,
  lockPeriodBlocksLive,
  suggestUsdtEnergyFor,
  sunForEnergyLive,
} from "@/lib/tron/resources";
import {
  broadcast,
  buildDelegateEnergy,
  buildTrxTransfer,
  buildUndelegateEnergy,
  buildUsdtTransfer,
  txStatus,
} from "@/lib/tron/tx";

let dn: Devnet;
let client: TronClient;

const treasury = devnetAccount(0);
const pool1 = devnetAccount(1);
const pool3 = devnetAccount(3);
const customer = devnetAccount(4);
const keyOf = (a: { base58: string; privateKey: string }) => ({
  encryptedKey: importKey(a.base58, a.privateKey).ciphertext,
});

async function ctl(path: string, body: Record<string, unknown> = {}) {
  const r = await fetch(`${dn.url}/_devnet/${path}`, { method: "POST", body: JSON.stringify(body) });
  expect(r.status).toBe(200);
  return r.json();
}
const mine = (blocks = 1) => ctl("mine", { blocks });

function makeClient(over: Partial<ConstructorParameters<typeof TronClient>[0]> = {}) {
  return new TronClient({
    network: "devnet",
    fullHost: dn.url,
    tronscanUrl: dn.url,
    tronscanKey: "devnet-key",
    timeoutMs: 1_000,
    usdtContract: "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
    backoffMs: 5,
    ...over,
  });
}

async function fresh(): Promise<string> {
  const a = utils.accounts.generateAccount();
  return a.address.base58;
}

async function counter(provider: string, outcome: string): Promise<number> {
  const m = await registry.getSingleMetric("tron_provider_requests_total")!.get();
  return m.values.find((v) => v.labels.provider === provider && v.labels.outcome === outcome)?.value ?? 0;
}

beforeAll(async () => {
  dn = await startDevnet({ port: 0, blockIntervalMs: 0, solidityLag: 2 });
  client = makeClient();
});
afterAll(async () => {
  await dn?.close();
});
beforeEach(async () => {
  await ctl("reset");
  client.clearCache();
});

describe("reads", () => {
  it("overview of a funded account from the full node", async () => {
    const o = await client.getAccountOverview(customer.base58);
    expect(o.provider).toBe("fullnode");
    expect(o.activated).toBe(true);
    expect(o.trxSun).toBe(10_000_000_000n);
    expect(o.usdtBase).toBe(500_000_000n);
    expect(o.bandwidthLimit).toBe(600n);
    expect(o.fetchedAt).toBeInstanceOf(Date);
    expect(await client.usdtBalanceOf(customer.base58)).toBe(500_000_000n);
  });

  it("resource overview: the same figures without the USDT call", async () => {
    // A broken balanceOf would push the full overview to TronScan; the resource overview never asks.
    await ctl("faults", { status5xx: 100, paths: ["/wallet/triggerconstantcontract"] });
    const o = await client.getResourceOverview(customer.base58);
    expect(o).toMatchObject({
      provider: "fullnode",
      activated: true,
      trxSun: 10_000_000_000n,
      bandwidthLimit: 600n,
    });
    expect("usdtBase" in o).toBe(false);
    const cap = captureLogs();
    try {
      expect((await client.getAccountOverview(customer.base58)).provider).toBe("tronscan");
    } finally {
      cap.stop();
    }
  });

  it("overview of an unactivated address", async () => {
    const addr = await fresh();
    const o = await client.getAccountOverview(addr);
    expect(o).toMatchObject({
      activated: false,
      trxSun: 0n,
      usdtBase: 0n,
      energyLimit: 0n,
      provider: "fullnode",
    });
  });

  it("chain parameters, weights, max size, lock period", async () => {
    const params = await client.getChainParameters();
    expect(params.getMaxDelegateLockPeriod).toBe(864_000n);
    const w = await client.getEnergyWeights();
    expect(w).toEqual({ totalEnergyWeight: 19_000_000_000n, totalEnergyLimit: 180_000_000_000n });
    expect(await sunForEnergyLive(client, 65_000n)).toBe(6_861_111_112n);
    expect(await lockPeriodBlocksLive(client, 86_400)).toBe(28_800);
    await expect(lockPeriodBlocksLive(client, 40 * 86_400)).rejects.toMatchObject({
      code: "unknown_duration",
    });
    expect(await client.getCanDelegatedMaxSize(pool1.base58)).toBe(200_000_000_000n);
    expect(await client.getCanDelegatedMaxSize(customer.base58)).toBe(0n);
    const acct = await client.getAccount(pool1.base58);
    expect(acct.frozenEnergySun).toBe(200_000_000_000n);
    expect(acct.trxSun).toBe(100_000_000_000n);
    expect(await suggestUsdtEnergyFor(client, customer.base58)).toBe(65_000n);
    expect(await suggestUsdtEnergyFor(client, await fresh())).toBe(131_000n);
  });
});

describe("delegation", () => {
  it("delegate with lock raises the receiver's energy limit by the chain formula; undelegate respects the lock", async () => {
    const before = await client.getAccountOverview(customer.base58);
    const weights = await client.getEnergyWeights();
    const sun = await sunForEnergyLive(client, 65_000n);
    const signed = await buildDelegateEnergy(
      client,
      { owner: pool1.base58, receiver: customer.base58, sun, lockPeriodBlocks: 1200 },
      keyOf(pool1),
    );
    expect(signed.txid).toMatch(/^[0-9a-f]{64}$/);
    expect(signed.signedTx.raw_data.contract[0].parameter.value).toMatchObject({
      lock: true,
      lock_period: 1200,
    });
    expect(JSON.parse(JSON.stringify(signed.signedTx))).toEqual(signed.signedTx); // storable as jsonb
    expect(await txStatus(client, signed.txid)).toMatchObject({ status: "unknown" });
    expect(await broadcast(client, signed.signedTx)).toEqual({ txid: signed.txid, status: "sent" });
    expect(await broadcast(client, signed.signedTx)).toEqual({ txid: signed.txid, status: "duplicate" });
    await mine();
    expect((await txStatus(client, signed.txid)).status).toBe("included");
    await mine(3);
    expect((await txStatus(client, signed.txid)).status).toBe("solidified");

    const after = await client.getAccountOverview(customer.base58);
    // Stake 2.0 in doubles: (long) (6861.111112 × (180e9 / 19e9)) = 65,000
    expect(after.energyLimit - before.energyLimit).toBe(energyForSun(sun, weights));
    expect(after.energyLimit - before.energyLimit).toBe(65_000n);
    expect(after.delegatedInEnergySun).toBe(sun);

    const recs = await client.getDelegatedResourceV2(pool1.base58, customer.base58);
    expect(recs).toHaveLength(1);
    expect(recs[0]).toMatchObject({ locked: true, energySun: sun, from: pool1.base58, to: customer.base58 });
    expect(recs[0].energyExpireAt).toBeGreaterThan(Date.now());
    expect((await client.getAccount(pool1.base58)).delegatedOutEnergySun).toBe(sun);

    // Undelegate while locked → ChainError locked / insufficient_unlocked.
    const un = await buildUndelegateEnergy(
      client,
      { owner: pool1.base58, receiver: customer.base58, sun },
      keyOf(pool1),
    );
    const err = await broadcast(client, un.signedTx).catch((e) => e);
    expect(err).toBeInstanceOf(ChainError);
    expect(["locked", "insufficient_unlocked"]).toContain((err as ChainError).kind);
    expect((err as ChainError).details?.chainMessage).toMatch(/insufficient delegateFrozenBalance/);

    // After the lock expires → success.
    await ctl("advance-time", { ms: 1200 * 3000 + 10_000 });
    const un2 = await buildUndelegateEnergy(
      client,
      { owner: pool1.base58, receiver: customer.base58, sun },
      keyOf(pool1),
    );
    expect((await broadcast(client, un2.signedTx)).status).toBe("sent");
    await mine();
    const end = await client.getAccountOverview(customer.base58);
    expect(end.energyLimit).toBe(before.energyLimit);
    expect(await client.getDelegatedResourceV2(pool1.base58, customer.base58)).toEqual([]);
  });

  it("delegationSunForEnergy covers the full energy on chain", async () => {
    const weights = await client.getEnergyWeights();
    const sun = delegationSunForEnergy(65_000n, weights);
    const s = await buildDelegateEnergy(
      client,
      { owner: pool1.base58, receiver: customer.base58, sun },
      keyOf(pool1),
    );
    await broadcast(client, s.signedTx);
    await mine();
    const o = await client.getAccountOverview(customer.base58);
    expect(o.energyLimit).toBeGreaterThanOrEqual(65_000n);
    expect(o.energyLimit).toBe(energyForSun(sun, weights));
  });

  it("over-delegation → insufficient_delegatable; unactivated receiver → not_activated; none → no_delegation", async () => {
    const max = await client.getCanDelegatedMaxSize(pool3.base58);
    const over = await buildDelegateEnergy(
      client,
      { owner: pool3.base58, receiver: customer.base58, sun: max + 1_000_000n, lockPeriodBlocks: 100 },
      keyOf(pool3),
    );
    const e1 = await broadcast(client, over.signedTx).catch((e) => e);
    expect(e1).toBeInstanceOf(ChainError);
    expect(e1.kind).toBe("insufficient_delegatable");
    expect(e1.code).toBe("chain_error");
    expect(e1.details.chainMessage).toContain(
      "delegateBalance must be less than or equal to available FreezeEnergyV2 balance",
    );

    const nobody = await fresh();
    const d2 = await buildDelegateEnergy(
      client,
      { owner: pool3.base58, receiver: nobody, sun: 10_000_000n },
      keyOf(pool3),
    );
    const e2 = await broadcast(client, d2.signedTx).catch((e) => e);
    expect(e2).toBeInstanceOf(ChainError);
    expect(e2.kind).toBe("not_activated");

    const u = await buildUndelegateEnergy(
      client,
      { owner: pool3.base58, receiver: customer.base58, sun: 1_000_000n },
      keyOf(pool3),
    );
    const e3 = await broadcast(client, u.signedTx).catch((e) => e);
    expect(e3.kind).toBe("no_delegation");
  });

  it("refuses to sign for an owner whose key we do not hold; no key in logs or errors", async () => {
    const cap = captureLogs();
    let e: unknown;
    let e2: unknown;
    try {
      e = await buildDelegateEnergy(
        client,
        { owner: pool3.base58, receiver: customer.base58, sun: 10_000_000n },
        keyOf(pool1),
      ).catch((x) => x);
      const s = await buildDelegateEnergy(
        client,
        { owner: pool1.base58, receiver: await fresh(), sun: 10_000_000n },
        keyOf(pool1),
      );
      e2 = await broadcast(client, s.signedTx).catch((x) => x);
    } finally {
      cap.stop();
    }
    expect(e).toBeInstanceOf(Error);
    expect(e2).toBeInstanceOf(ChainError);
    for (const err of [e, e2] as Error[]) {
      const text = `${err.message} ${err.stack} ${JSON.stringify(err)} ${JSON.stringify((err as AppError).details ?? {})}`;
      expect(text.toLowerCase()).not.toContain(pool1.privateKey.toLowerCase());
    }
    for (const line of cap.lines) expect(line.toLowerCase()).not.toContain(pool1.privateKey.toLowerCase());
  });
});

describe("transfers", () => {
  it("USDT transfer and balance, with Transfer log", async () => {
    const to = await fresh();
    await ctl("fund", { address: to, sun: 2_000_000 });
    await mine();
    const s = await buildUsdtTransfer(
      client,
      { from: treasury.base58, to, amount: 12_345_678n },
      keyOf(treasury),
    );
    expect(s.signedTx.raw_data.fee_limit).toBe(50_000_000);
    expect((await broadcast(client, s.signedTx)).status).toBe("sent");
    await mine();
    expect(await client.usdtBalanceOf(to)).toBe(12_345_678n);
    const st = await txStatus(client, s.txid);
    expect(st.status).toBe("included");
    expect(st.receiptResult).toBe("SUCCESS");
    const transfers = trc20Transfers(st.info!);
    expect(transfers).toEqual([
      {
        logIndex: 0,
        token: "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
        from: treasury.base58,
        to,
        amount: 12_345_678n,
      },
    ]);
    const infos = await client.getTransactionInfoByBlockNum(st.blockNumber!);
    expect(infos.map((i) => i.id)).toContain(s.txid);
  });

  it("TRX transfer, block scan", async () => {
    const to = await fresh();
    const s = await buildTrxTransfer(client, { from: treasury.base58, to, sun: 3_000_001n }, keyOf(treasury));
    expect((await broadcast(client, s.signedTx)).status).toBe("sent");
    await mine();
    const now = await client.getNowBlock();
    const blocks = await client.getBlockByLimitNext(now.number, now.number + 1);
    const tx = blocks[0].transactions.find((t) => t.txid === s.txid)!;
    expect(tx).toMatchObject({
      type: "TransferContract",
      amountSun: 3_000_001n,
      toAddress: to,
      ownerAddress: treasury.base58,
      contractRet: "SUCCESS",
    });
    const got = await client.getTransaction(s.txid);
    expect(got?.amountSun).toBe(3_000_001n);
    expect((await client.getAccountOverview(to)).trxSun).toBe(3_000_001n);
  });

  it("dropped broadcast: pending until expiration, then unknown+expired; rebroadcast refused as expired", async () => {
    const s = await buildTrxTransfer(
      client,
      { from: treasury.base58, to: customer.base58, sun: 1_000_000n },
      keyOf(treasury),
    );
    await ctl("faults", { dropBroadcasts: 1 });
    expect((await broadcast(client, s.signedTx)).status).toBe("sent");
    await mine(2);
    expect(await txStatus(client, s.txid, { expiration: s.expiration })).toMatchObject({
      status: "pending",
      expired: false,
    });
    await ctl("advance-time", { ms: 120_000 });
    // the head is past the expiration, but not yet the solidified head: not judged
    expect(await txStatus(client, s.txid, { expiration: s.expiration })).toMatchObject({
      status: "pending",
      expired: false,
    });
    await mine(2);
    expect(await txStatus(client, s.txid, { expiration: s.expiration })).toMatchObject({
      status: "unknown",
      expired: true,
    });
    const e = await broadcast(client, s.signedTx).catch((x) => x);
    expect(e).toBeInstanceOf(ChainError);
  });

  it("expired tx → ChainError expired", async () => {
    const s = await buildTrxTransfer(
      client,
      { from: treasury.base58, to: customer.base58, sun: 1_000_000n },
      keyOf(treasury),
    );
    await ctl("advance-time", { ms: 120_000 });
    const e = await broadcast(client, s.signedTx).catch((x) => x);
    expect(e).toBeInstanceOf(ChainError);
    expect(["expired", "tapos"]).toContain(e.kind);
  });
});

describe("provider fallback", () => {
  it("5xx on /wallet → TronScan answers the overview", async () => {
    const okBefore = await counter("tronscan", "ok");
    await ctl("faults", { status5xx: 100, status5xxCode: 500, paths: ["/wallet"] });
    const cap = captureLogs();
    let o: Awaited<ReturnType<TronClient["getAccountOverview"]>>;
    try {
      o = await client.getAccountOverview(customer.base58);
    } finally {
      cap.stop();
    }
    expect(o.provider).toBe("tronscan");
    expect(o).toMatchObject({
      activated: true,
      trxSun: 10_000_000_000n,
      usdtBase: 500_000_000n,
      bandwidthLimit: 600n,
    });
    expect(cap.lines.some((l) => l.includes("falling back to TronScan"))).toBe(true);
    expect(await counter("tronscan", "ok")).toBe(okBefore + 1);
    expect(await counter("fullnode", "error")).toBeGreaterThan(0);
  });

  it("429 on /wallet → backoff retries, then TronScan", async () => {
    await ctl("faults", { rateLimit429: 100, paths: ["/wallet"] });
    const before = await counter("fullnode", "rate_limited");
    const o = await client.getAccountOverview(customer.base58);
    expect(o.provider).toBe("tronscan");
    expect(await counter("fullnode", "rate_limited")).toBeGreaterThan(before);
  });

  it("a transient 429 is absorbed by the retry (full node still answers)", async () => {
    await ctl("faults", { rateLimit429: 1, paths: ["/wallet/getaccount"] });
    const o = await client.getAccountOverview(customer.base58);
    expect(o.provider).toBe("fullnode");
  });

  it("latency beyond the timeout → TronScan", async () => {
    const slow = makeClient({ timeoutMs: 150 });
    await ctl("faults", { latencyMs: 400, paths: ["/wallet"] });
    const o = await slow.getAccountOverview(customer.base58);
    expect(o.provider).toBe("tronscan");
  });

  it("unactivated address via TronScan", async () => {
    await ctl("faults", { status5xx: 100, paths: ["/wallet"] });
    const o = await client.getAccountOverview(await fresh());
    expect(o).toMatchObject({ provider: "tronscan", activated: false, trxSun: 0n });
  });

  it("both failing → provider_unavailable; the next healthy call is correct", async () => {
    await ctl("faults", { status5xx: 1000 });
    const e = await client.getAccountOverview(customer.base58).catch((x) => x);
    expect(e).toBeInstanceOf(AppError);
    expect(e.code).toBe("provider_unavailable");
    const e2 = await client.getEnergyWeights().catch((x) => x);
    expect(e2.code).toBe("provider_unavailable");
    await ctl("faults/clear");
    await ctl("fund", { address: customer.base58, sun: 1_000_000 });
    await mine();
    const o = await client.getAccountOverview(customer.base58);
    expect(o.provider).toBe("fullnode");
    expect(o.trxSun).toBe(10_001_000_000n);
    expect((await client.getEnergyWeights()).totalEnergyWeight).toBe(19_000_000_000n);
  });

  it("no TronScan configured → provider_unavailable", async () => {
    const c = makeClient({ tronscanUrl: undefined });
    await ctl("faults", { status5xx: 100, paths: ["/wallet"] });
    await expect(c.getAccountOverview(customer.base58)).rejects.toMatchObject({
      code: "provider_unavailable",
    });
  });

  it("broadcast through a flaky node: rate limit retried, dup afterwards is 'duplicate'", async () => {
    const s = await buildTrxTransfer(
      client,
      { from: treasury.base58, to: customer.base58, sun: 1_000_000n },
      keyOf(treasury),
    );
    await ctl("faults", { rateLimit429: 1, paths: ["/wallet/broadcasttransaction"] });
    expect((await broadcast(client, s.signedTx)).status).toBe("sent");
    expect((await broadcast(client, s.signedTx)).status).toBe("duplicate");
  });
});

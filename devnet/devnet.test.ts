import { TronWeb, utils } from "tronweb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { USDT_BASE58, USDT_HEX } from "./chain";
import { devnetAccount } from "./genesis";
import { type Devnet, startDevnet } from "./server";

let dn: Devnet;
let tw: TronWeb;
const treasury = devnetAccount(0);
const pool1 = devnetAccount(1);
const pool3 = devnetAccount(3);
const customer = devnetAccount(4);

async function ctl(path: string, body?: unknown): Promise<any> {
  const r = await fetch(`${dn.url}/_devnet/${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return r.json();
}

const utf8 = (hex: string) => Buffer.from(hex, "hex").toString("utf8");

async function signSend(tx: any, pk: string): Promise<any> {
  const signed = await tw.trx.sign(tx, pk);
  return tw.trx.sendRawTransaction(signed as any);
}

async function sendTrx(from: { base58: string; privateKey: string }, to: string, sun: number) {
  const tx = await tw.transactionBuilder.sendTrx(to, sun, from.base58);
  return signSend(tx, from.privateKey);
}

async function usdtTransfer(from: { base58: string; privateKey: string }, to: string, units: number) {
  const { transaction } = await tw.transactionBuilder.triggerSmartContract(
    USDT_BASE58,
    "transfer(address,uint256)",
    { feeLimit: 150_000_000 },
    [
      { type: "address", value: to },
      { type: "uint256", value: units },
    ],
    from.base58,
  );
  return signSend(transaction, from.privateKey);
}

beforeAll(async () => {
  dn = await startDevnet({ port: 0, blockIntervalMs: 0 });
  tw = new TronWeb({ fullHost: dn.url });
});
afterAll(async () => {
  await dn?.close();
});
beforeEach(async () => {
  await ctl("reset", {});
});

describe("delegation", () => {
  it("delegates with lock, refuses undelegate while locked, allows it after expiry", async () => {
    const res0 = await tw.trx.getAccountResources(customer.base58);
    expect(res0.EnergyLimit ?? 0).toBe(0);
    const sun = 10_000_000_000;
    const tx = await tw.transactionBuilder.delegateResource(
      sun,
      customer.base58,
      "ENERGY",
      pool1.base58,
      true,
      28_800,
    );
    const execHead = await tw.trx.getCurrentBlock();
    const r = await signSend(tx, pool1.privateKey);
    expect(r.result).toBe(true);
    await ctl("mine", { blocks: 1 });
    const res = await tw.trx.getAccountResources(customer.base58);
    expect(res.EnergyLimit).toBe(Math.floor((sun / 1e6) * (res.TotalEnergyLimit! / res.TotalEnergyWeight!)));
    expect(res.EnergyLimit).toBe(94_736);

    const recs = await tw.trx.getDelegatedResourceV2(pool1.base58, customer.base58, { confirmed: false });
    expect(recs.delegatedResource).toHaveLength(1);
    const rec = recs.delegatedResource![0] as any;
    expect(rec.frozen_balance_for_energy).toBe(sun);
    // expire_time = timestamp of the head block the tx executed on + lock_period × 3000 ms
    expect(rec.expire_time_for_energy).toBe(execHead.block_header.raw_data.timestamp + 28_800 * 3000);

    const acc = await tw.trx.getUnconfirmedAccount(pool1.base58);
    expect((acc as any).account_resource.delegated_frozenV2_balance_for_energy).toBe(sun);

    const u1 = await signSend(
      await tw.transactionBuilder.undelegateResource(sun, customer.base58, "ENERGY", pool1.base58),
      pool1.privateKey,
    );
    expect(u1.result).toBeUndefined();
    expect(u1.code).toBe("CONTRACT_VALIDATE_ERROR");
    expect(utf8(u1.message)).toBe(
      `Contract validate error : insufficient delegateFrozenBalance(Energy), request=${sun}, unlock_balance=0`,
    );

    await ctl("advance-time", { ms: 28_800 * 3000 + 3000 });
    const u2 = await signSend(
      await tw.transactionBuilder.undelegateResource(sun, customer.base58, "ENERGY", pool1.base58),
      pool1.privateKey,
    );
    expect(u2.result).toBe(true);
    await ctl("mine", { blocks: 1 });
    const res2 = await tw.trx.getAccountResources(customer.base58);
    expect(res2.EnergyLimit ?? 0).toBe(0);
    expect(await tw.trx.getDelegatedResourceV2(pool1.base58, customer.base58, { confirmed: false })).toEqual(
      {},
    );
  });

  it("rejects a shorter lock than the remaining one", async () => {
    const d1 = await tw.transactionBuilder.delegateResource(
      2e6,
      customer.base58,
      "ENERGY",
      pool1.base58,
      true,
      1000,
    );
    expect((await signSend(d1, pool1.privateKey)).result).toBe(true);
    await ctl("mine", { blocks: 1 });
    const d2 = await tw.transactionBuilder.delegateResource(
      2e6,
      customer.base58,
      "ENERGY",
      pool1.base58,
      true,
      10,
    );
    const r = await signSend(d2, pool1.privateKey);
    expect(r.code).toBe("CONTRACT_VALIDATE_ERROR");
    expect(utf8(r.message)).toMatch(
      /^Contract validate error : The lock period for ENERGY this time cannot be less than the remaining time\[\d+ms\] of the last lock period for ENERGY!$/,
    );
  });

  it("rejects over-delegation and non-activated receivers", async () => {
    const over = await tw.transactionBuilder.delegateResource(
      60_000_000_000,
      customer.base58,
      "ENERGY",
      pool3.base58,
    );
    const r = await signSend(over, pool3.privateKey);
    expect(r.code).toBe("CONTRACT_VALIDATE_ERROR");
    expect(utf8(r.message)).toBe(
      "Contract validate error : delegateBalance must be less than or equal to available FreezeEnergyV2 balance",
    );
    const max = await tw.trx.getCanDelegatedMaxSize(pool3.base58, "ENERGY");
    expect(max.max_size).toBe(50_000_000_000);

    const fresh = utils.accounts.generateAccount();
    const tx = await tw.transactionBuilder.delegateResource(
      1e6,
      fresh.address.base58,
      "ENERGY",
      pool3.base58,
    );
    const r2 = await signSend(tx, pool3.privateKey);
    expect(utf8(r2.message)).toBe(
      `Contract validate error : Account[${fresh.address.hex.toLowerCase()}] not exists`,
    );
  });

  it("freezeBalanceV2 moves TotalEnergyWeight; account index lists delegations", async () => {
    const before = await tw.trx.getAccountResources(customer.base58);
    const tx = await tw.transactionBuilder.freezeBalanceV2(1_000_000_000, "ENERGY", customer.base58);
    expect((await signSend(tx, customer.privateKey)).result).toBe(true);
    const after = await tw.trx.getAccountResources(customer.base58);
    expect(after.TotalEnergyWeight).toBe(before.TotalEnergyWeight! + 1000);
    const d = await tw.transactionBuilder.delegateResource(5e6, treasury.base58, "ENERGY", customer.base58);
    expect((await signSend(d, customer.privateKey)).result).toBe(true);
    await ctl("mine", { blocks: 20 });
    const idx = await tw.trx.getDelegatedResourceAccountIndexV2(customer.base58);
    expect(idx.toAccounts).toEqual([treasury.hex]);
    const acc = await tw.trx.getAccount(customer.base58);
    expect((acc as any).frozenV2).toEqual([
      {},
      { type: "ENERGY", amount: 995_000_000 },
      { type: "TRON_POWER" },
    ]);
  });
});

describe("broadcast validation", () => {
  it("SIGERROR for tampered raw_data and a wrong signer; DUP on replay", async () => {
    const fresh = utils.accounts.generateAccount().address.base58;
    const tx = await tw.transactionBuilder.sendTrx(fresh, 5_000_000, treasury.base58);
    const signed: any = await tw.trx.sign(tx, treasury.privateKey);
    const tampered = structuredClone(signed);
    tampered.raw_data.contract[0].parameter.value.amount = 6_000_000;
    const r1 = await tw.trx.sendRawTransaction(tampered);
    expect(r1.code).toBe("SIGERROR");
    expect(utf8((r1 as any).message)).toMatch(/^Validate signature error: /);

    const wrong: any = await tw.trx.sign(structuredClone(tx), customer.privateKey, true, true);
    const r2 = await tw.trx.sendRawTransaction(wrong);
    expect(r2.code).toBe("SIGERROR");

    const ok = await tw.trx.sendRawTransaction(signed);
    expect(ok.result).toBe(true);
    expect(ok.txid).toBe(signed.txID);
    const dup = await tw.trx.sendRawTransaction(signed);
    expect(dup.code).toBe("DUP_TRANSACTION_ERROR");
    expect(utf8((dup as any).message)).toBe("Dup transaction.");

    // activation charged 1 TRX system-contract fee + 0.1 TRX create-account fee (no staked bandwidth... treasury has some)
    await ctl("mine", { blocks: 1 });
    expect(await tw.trx.getUnconfirmedBalance(fresh)).toBe(5_000_000);
    const info: any = await tw.trx.getUnconfirmedTransactionInfo(signed.txID);
    expect(info.fee).toBeGreaterThanOrEqual(1_000_000);
  });

  it("TRANSACTION_EXPIRATION_ERROR and TAPOS_ERROR", async () => {
    const block = await tw.trx.getCurrentBlock();
    const h = block.block_header.raw_data;
    const header = {
      ref_block_bytes: h.number.toString(16).slice(-4).padStart(4, "0"),
      ref_block_hash: block.blockID.slice(16, 32),
      expiration: h.timestamp - 1000,
      timestamp: h.timestamp - 61_000,
    };
    const expired = await tw.transactionBuilder.sendTrx(customer.base58, 1_000_000, treasury.base58, {
      blockHeader: header,
    });
    const r1 = await signSend(expired, treasury.privateKey);
    expect(r1.code).toBe("TRANSACTION_EXPIRATION_ERROR");
    expect(utf8(r1.message)).toBe("Transaction expired");

    const bad = await tw.transactionBuilder.sendTrx(customer.base58, 1_000_000, treasury.base58, {
      blockHeader: { ...header, ref_block_hash: "0000000000000000", expiration: h.timestamp + 60_000 },
    });
    const r2 = await signSend(bad, treasury.privateKey);
    expect(r2.code).toBe("TAPOS_ERROR");
    expect(utf8(r2.message)).toBe("Tapos check error.");
  });

  it("rejects TRX transfers beyond the balance", async () => {
    const r = await sendTrx(customer, treasury.base58, 20_000_000_000);
    expect(r.code).toBe("CONTRACT_VALIDATE_ERROR");
    expect(utf8(r.message)).toBe(
      "Contract validate error : Validate TransferContract error, balance is not sufficient.",
    );
  });
});

describe("USDT TRC20", () => {
  it("transfers with logs, energy by recipient state, balanceOf, revert", async () => {
    const recipient = utils.accounts.generateAccount().address;
    const r1 = await usdtTransfer(treasury, recipient.base58, 1_500_000);
    expect(r1.result).toBe(true);
    await ctl("mine", { blocks: 1 });
    // not solidified yet
    expect(await tw.trx.getTransactionInfo(r1.txid)).toEqual({});
    const unconf: any = await tw.trx.getUnconfirmedTransactionInfo(r1.txid);
    expect(unconf.receipt.energy_usage_total).toBe(130_285);
    expect(unconf.receipt.energy_fee).toBe(130_285 * 100);
    await ctl("mine", { blocks: 19 });
    const info: any = await tw.trx.getTransactionInfo(r1.txid);
    expect(info.id).toBe(r1.txid);
    expect(info.receipt.result).toBe("SUCCESS");
    expect(info.log).toHaveLength(1);
    expect(info.log[0].address).toBe(USDT_HEX.slice(2));
    expect(info.log[0].topics[0]).toBe("ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
    expect(info.log[0].topics[1]).toBe("0".repeat(24) + treasury.hex.slice(2));
    expect(info.log[0].topics[2]).toBe("0".repeat(24) + recipient.hex.slice(2).toLowerCase());
    expect(BigInt(`0x${info.log[0].data}`)).toBe(1_500_000n);

    // holder now: 64,285, paid from pool-1's staked energy
    const r2 = await usdtTransfer(pool1, recipient.base58, 1_000_000);
    expect(r2.result).toBe(true);
    await ctl("mine", { blocks: 1 });
    const info2: any = await tw.trx.getUnconfirmedTransactionInfo(r2.txid);
    expect(info2.receipt.energy_usage_total).toBe(64_285);
    expect(info2.receipt.energy_usage).toBe(64_285);
    expect(info2.receipt.energy_fee).toBeUndefined();
    const res = await tw.trx.getAccountResources(pool1.base58);
    // one block (3 s) of the 24 h linear recovery has passed since the tx executed
    expect(res.EnergyUsed).toBe(Math.round(64_285 * (1 - 3000 / 86_400_000)));

    const c = await tw.transactionBuilder.triggerConstantContract(
      USDT_BASE58,
      "balanceOf(address)",
      {},
      [{ type: "address", value: recipient.base58 }],
      treasury.base58,
    );
    expect((c as any).result.result).toBe(true);
    expect(BigInt(`0x${c.constant_result[0]}`)).toBe(2_500_000n);

    // revert: customer holds 500 USDT
    const r3 = await usdtTransfer(customer, recipient.base58, 1_000_000_000);
    expect(r3.result).toBe(true);
    await ctl("mine", { blocks: 1 });
    const info3: any = await tw.trx.getUnconfirmedTransactionInfo(r3.txid);
    expect(info3.receipt.result).toBe("REVERT");
    expect(info3.result).toBe("FAILED");
    expect(info3.log).toBeUndefined();
    const tx3: any = await tw.trx.getTransaction(r3.txid);
    expect(tx3.ret[0].contractRet).toBe("REVERT");
  });

  it("OUT_OF_ENERGY when fee_limit is too low", async () => {
    const recipient = utils.accounts.generateAccount().address.base58;
    const { transaction } = await tw.transactionBuilder.triggerSmartContract(
      USDT_BASE58,
      "transfer(address,uint256)",
      { feeLimit: 1_000_000 },
      [
        { type: "address", value: recipient },
        { type: "uint256", value: 1 },
      ],
      treasury.base58,
    );
    const r = await signSend(transaction, treasury.privateKey);
    expect(r.result).toBe(true);
    await ctl("mine", { blocks: 1 });
    const info: any = await tw.trx.getUnconfirmedTransactionInfo(r.txid);
    expect(info.receipt.result).toBe("OUT_OF_ENERGY");
    expect(info.receipt.energy_fee).toBe(1_000_000);
  });
});

describe("blocks and tx info", () => {
  it("getblockbylimitnext and gettransactioninfobyblocknum shapes", async () => {
    await ctl("mine", { blocks: 3 });
    const r = await sendTrx(treasury, customer.base58, 1_000_000);
    expect(r.result).toBe(true);
    await ctl("mine", { blocks: 1 });
    const head = await tw.trx.getCurrentBlock();
    const n = head.block_header.raw_data.number;
    expect(head.blockID.slice(0, 16)).toBe(n.toString(16).padStart(16, "0"));
    expect(head.transactions).toHaveLength(1);
    const range = await tw.trx.getBlockRange(n - 2, n);
    expect(range.map((b: any) => b.block_header.raw_data.number)).toEqual([n - 2, n - 1, n]);
    const infos: any = await tw.fullNode.request("wallet/gettransactioninfobyblocknum", { num: n }, "post");
    expect(Array.isArray(infos)).toBe(true);
    expect(infos[0].id).toBe(r.txid);
    expect(infos[0].blockNumber).toBe(n);
    expect(infos[0].receipt.net_usage).toBeGreaterThan(200);
    const sol: any = await tw.solidityNode.request(
      "walletsolidity/gettransactioninfobyblocknum",
      { num: n },
      "post",
    );
    expect(sol).toEqual([]);
    expect(await tw.trx.getTransactionInfo(r.txid)).toEqual({});
    await ctl("mine", { blocks: 19 });
    expect(((await tw.trx.getTransactionInfo(r.txid)) as any).id).toBe(r.txid);
    const conf: any = await tw.trx.getConfirmedTransaction(r.txid);
    expect(conf.txID).toBe(r.txid);
  });

  it("walletsolidity accounts lag behind head", async () => {
    const fresh = utils.accounts.generateAccount().address.base58;
    await sendTrx(treasury, fresh, 2_000_000);
    await ctl("mine", { blocks: 1 });
    expect(await tw.trx.getUnconfirmedBalance(fresh)).toBe(2_000_000);
    expect(await tw.trx.getAccount(fresh)).toEqual({});
    await ctl("mine", { blocks: 19 });
    expect(await tw.trx.getBalance(fresh)).toBe(2_000_000);
  });

  it("broadcasthex accepts a serialized signed tx", async () => {
    const tx = await tw.transactionBuilder.sendTrx(customer.base58, 1_000_000, treasury.base58);
    const signed: any = await tw.trx.sign(tx, treasury.privateKey);
    const proto = (globalThis as any).TronWebProto;
    const pb = utils.transaction.txJsonToPb(signed);
    pb.addSignature(Buffer.from(signed.signature[0], "hex"));
    const hex = Buffer.from(pb.serializeBinary()).toString("hex");
    expect(proto).toBeDefined();
    const r: any = await tw.trx.sendHexTransaction(hex);
    expect(r.result).toBe(true);
    expect(r.txid).toBe(signed.txID);
  });
});

describe("TronGrid v1 and TronScan", () => {
  it("pages /v1/accounts/{addr}/transactions with fingerprints", async () => {
    const target = utils.accounts.generateAccount().address.base58;
    for (let i = 0; i < 5; i++) expect((await sendTrx(treasury, target, 1_000_000 + i)).result).toBe(true);
    await ctl("mine", { blocks: 1 });
    const first = await (
      await fetch(`${dn.url}/v1/accounts/${target}/transactions?limit=2&only_to=true`)
    ).json();
    expect(first.success).toBe(true);
    expect(first.data).toHaveLength(2);
    expect(first.meta.links.next).toContain("fingerprint=");
    const seen = [...first.data];
    let next = first.meta.links.next;
    while (next) {
      const page = await (await fetch(next)).json();
      seen.push(...page.data);
      next = page.meta.links?.next;
    }
    expect(seen.map((t: any) => t.raw_data.contract[0].parameter.value.amount)).toEqual([
      1_000_004, 1_000_003, 1_000_002, 1_000_001, 1_000_000,
    ]);
    const confirmed = await (
      await fetch(`${dn.url}/v1/accounts/${target}/transactions?only_confirmed=true`)
    ).json();
    expect(confirmed.data).toHaveLength(0);
    const fromOnly = await (
      await fetch(`${dn.url}/v1/accounts/${target}/transactions?only_from=true`)
    ).json();
    expect(fromOnly.data).toHaveLength(0);
  });

  it("lists TRC20 transfers and filters by contract", async () => {
    const target = utils.accounts.generateAccount().address.base58;
    await usdtTransfer(treasury, target, 7_000_000);
    const state = await ctl("state");
    const fake = state.tokens.find((t: any) => t.symbol === "FAKE");
    const { transaction } = await tw.transactionBuilder.triggerSmartContract(
      fake.base58,
      "transfer(address,uint256)",
      { feeLimit: 150_000_000 },
      [
        { type: "address", value: target },
        { type: "uint256", value: 9 },
      ],
      treasury.base58,
    );
    expect((await signSend(transaction, treasury.privateKey)).result).toBe(true);
    await ctl("mine", { blocks: 20 });
    const all = await (
      await fetch(`${dn.url}/v1/accounts/${target}/transactions/trc20?only_confirmed=true`)
    ).json();
    expect(all.data).toHaveLength(2);
    const usdt = await (
      await fetch(`${dn.url}/v1/accounts/${target}/transactions/trc20?contract_address=${USDT_BASE58}`)
    ).json();
    expect(usdt.data).toHaveLength(1);
    expect(usdt.data[0]).toMatchObject({
      token_info: { symbol: "USDT", address: USDT_BASE58, decimals: 6 },
      from: treasury.base58,
      to: target,
      type: "Transfer",
      value: "7000000",
    });
  });

  it("TronScan accountv2 needs an API key", async () => {
    const noKey = await fetch(`${dn.url}/api/accountv2?address=${pool1.base58}`);
    expect(noKey.status).toBe(401);
    const r = await fetch(`${dn.url}/api/accountv2?address=${pool1.base58}`, {
      headers: { "TRON-PRO-API-KEY": "test-key" },
    });
    const j = await r.json();
    expect(j.balance).toBe(100_000_000_000);
    expect(j.activated).toBe(true);
    expect(j.withPriceTokens.find((t: any) => t.tokenId === USDT_BASE58).balance).toBe("10000000000");
    expect(j.bandwidth.energyLimit).toBe(1_894_736);
    expect(j.bandwidth.freeNetLimit).toBe(600);
  });
});

describe("fault injection", () => {
  it("429 and 5xx on /wallet only while TronScan still answers", async () => {
    await ctl("faults", { rateLimit429: 1, status5xx: 2, paths: ["/wallet"] });
    const post = () => fetch(`${dn.url}/wallet/getnowblock`, { method: "POST" });
    expect((await post()).status).toBe(429);
    const scan = await fetch(`${dn.url}/api/accountv2?address=${pool1.base58}`, {
      headers: { "TRON-PRO-API-KEY": "k" },
    });
    expect(scan.status).toBe(200);
    expect((await post()).status).toBe(503);
    expect((await post()).status).toBe(503);
    expect((await post()).status).toBe(200);
    await expect(tw.trx.getCurrentBlock()).resolves.toHaveProperty("blockID");
  });

  it("latency", async () => {
    await ctl("faults", { latencyMs: 150 });
    const t0 = Date.now();
    await tw.trx.getCurrentBlock();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    await ctl("faults/clear", {});
    const t1 = Date.now();
    await tw.trx.getCurrentBlock();
    expect(Date.now() - t1).toBeLessThan(140);
  });

  it("dropped broadcast is accepted but never included", async () => {
    const fresh = utils.accounts.generateAccount().address.base58;
    await ctl("faults", { dropBroadcasts: 1 });
    const r = await sendTrx(treasury, fresh, 3_000_000);
    expect(r.result).toBe(true);
    await ctl("mine", { blocks: 25 });
    expect(await tw.trx.getTransactionInfo(r.txid)).toEqual({});
    expect(await tw.trx.getBalance(fresh)).toBe(0);
    // the next one goes through
    const r2 = await sendTrx(treasury, fresh, 3_000_000);
    expect(r2.result).toBe(true);
  });
});

describe("control API", () => {
  it("fund, fund-usdt, stake", async () => {
    const a = utils.accounts.generateAccount().address;
    await ctl("fund", { address: a.base58, sun: 5_000_000 });
    await ctl("fund-usdt", { address: a.base58, amount: "2500000" });
    const before = (await tw.trx.getAccountResources(a.base58)).TotalEnergyWeight!;
    await ctl("stake", { address: a.base58, sun: 1_000_000_000, resource: "ENERGY" });
    const res = await tw.trx.getAccountResources(a.base58);
    expect(res.TotalEnergyWeight).toBe(before + 1000);
    expect(res.EnergyLimit).toBe(Math.floor(1000 * (res.TotalEnergyLimit! / res.TotalEnergyWeight!)));
    expect(await tw.trx.getUnconfirmedBalance(a.base58)).toBe(5_000_000);
    const c = await tw.transactionBuilder.triggerConstantContract(
      USDT_BASE58,
      "balanceOf(address)",
      {},
      [{ type: "address", value: a.base58 }],
      a.base58,
    );
    expect(BigInt(`0x${c.constant_result[0]}`)).toBe(2_500_000n);
    const params = await tw.trx.getChainParameters();
    expect(params.find((p) => p.key === "getMaxDelegateLockPeriod")?.value).toBe(864_000);
  });
});

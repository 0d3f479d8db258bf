import { TronWeb, utils } from "tronweb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { USDT_BASE58, USDT_HEX } from "./chain";
import { FORWARD_SELECTOR, hexOfUtf8, PAYOUT_SELECTOR } from "./contracts";
import { devnetAccount } from "./genesis";
import { type Devnet, startDevnet } from "./server";

/** Devnet features the deposit scanner and collection depend on: TRC10, internal transactions,
 * the dynamic energy factor, blocks of mainnet size. */

let dn: Devnet;
let tw: TronWeb;
const treasury = devnetAccount(0);
const pool1 = devnetAccount(1);
const customer = devnetAccount(4);

async function ctl(path: string, body?: unknown): Promise<any> {
  const r = await fetch(`${dn.url}/_devnet/${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return r.json();
}
async function node(path: string, body: unknown): Promise<any> {
  const r = await fetch(`${dn.url}/${path}`, { method: "POST", body: JSON.stringify(body) });
  return r.json();
}
async function signSend(tx: any, pk: string): Promise<any> {
  const signed = await tw.trx.sign(tx, pk);
  return tw.trx.sendRawTransaction(signed as any);
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
async function routerCall(
  router: string,
  from: { base58: string; privateKey: string },
  data: string,
  callValue: number,
  feeLimit = 100_000_000,
) {
  const { transaction } = await tw.transactionBuilder.triggerSmartContract(
    router,
    "",
    { feeLimit, callValue, input: data } as any,
    [],
    from.base58,
  );
  return signSend(transaction, from.privateKey);
}
const word = (b58: string) => TronWeb.address.toHex(b58).slice(2).toLowerCase().padStart(64, "0");

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

describe("TRC10 (TransferAssetContract)", () => {
  it("transfers an asset: assetV2 on the account, asset_name as hex in the block, java-tron's refusals", async () => {
    const issued = await ctl("issue-trc10", { id: "1002000", name: "BitTorrent", abbr: "BTT" });
    expect(issued.asset_name).toBe(hexOfUtf8("1002000"));
    await ctl("fund-trc10", { id: "1002000", address: customer.base58, amount: "5000" });
    const to = utils.accounts.generateAccount().address;
    const tx = await tw.transactionBuilder.sendToken(to.base58, 1200, "1002000", customer.base58);
    const r = await signSend(tx, customer.privateKey);
    expect(r.result).toBe(true);
    await ctl("mine", { blocks: 1 });
    const acct = await node("wallet/getaccount", { address: to.hex });
    expect(acct.assetV2).toEqual([{ key: "1002000", value: 1200 }]);
    expect(acct.balance).toBeUndefined(); // created with no TRX
    const visible = await node("wallet/getaccount", { address: to.base58, visible: true });
    expect(visible.assetV2).toEqual([{ key: "1002000", value: 1200 }]);
    const block = await node("wallet/getblockbynum", { num: dn.chain.head.number });
    const c = block.transactions[0].raw_data.contract[0];
    expect(c.type).toBe("TransferAssetContract");
    expect(c.parameter.value).toMatchObject({ asset_name: "31303032303030", amount: 1200 });
    // the sender paid 1 TRX for creating the account (no bandwidth stake: 0.1 TRX burned too)
    const info = await node("wallet/gettransactioninfobyid", { value: r.txid });
    expect(info.fee).toBe(1_100_000);

    const refuse = async (amount: number, id: string) =>
      signSend(
        await tw.transactionBuilder.sendToken(to.base58, amount, id, customer.base58),
        customer.privateKey,
      );
    const noAsset = await refuse(1, "1009999");
    expect(noAsset.code).toBe("CONTRACT_VALIDATE_ERROR");
    expect(Buffer.from(noAsset.message, "hex").toString()).toBe("Contract validate error : No asset!");
    const tooMuch = await refuse(999_999, "1002000");
    expect(Buffer.from(tooMuch.message, "hex").toString()).toBe(
      "Contract validate error : assetBalance is not sufficient.",
    );
  });
});

describe("internal transactions (TRX sent by a contract)", () => {
  it("forward(address) payable: internal_transactions in tx info as java-tron prints them, and TronGrid v1 lists the item", async () => {
    const router = await ctl("deploy-router", {});
    const to = utils.accounts.generateAccount().address;
    const r = await routerCall(router.base58, customer, `${FORWARD_SELECTOR}${word(to.base58)}`, 7_000_000);
    expect(r.result).toBe(true);
    await ctl("mine", { blocks: 1 });
    const info = await node("wallet/gettransactioninfobyid", { value: r.txid });
    expect(info.receipt.result).toBe("SUCCESS");
    expect(info.internal_transactions).toHaveLength(1);
    const it0 = info.internal_transactions[0];
    expect(it0).toEqual({
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      caller_address: router.hex,
      transferTo_address: to.hex.toLowerCase(),
      callValueInfo: [{ callValue: 7_000_000 }],
      note: "63616c6c", // "call"
    });
    expect(it0.hash).not.toBe(r.txid);
    const byBlock = await node("wallet/gettransactioninfobyblocknum", { num: dn.chain.head.number });
    expect(byBlock[0].internal_transactions).toEqual(info.internal_transactions);
    expect((await node("wallet/getaccount", { address: to.hex })).balance).toBe(7_000_000);
    expect((await node("wallet/getaccount", { address: router.hex })).balance).toBeUndefined();

    const v1 = await (await fetch(`${dn.url}/v1/accounts/${to.base58}/transactions?only_to=true`)).json();
    expect(v1.data).toEqual([
      {
        internal_tx_id: it0.hash,
        data: { note: "63616c6c", rejected: false, call_value: { _: 7_000_000 } },
        block_timestamp: dn.chain.head.timestamp,
        to_address: to.hex.toLowerCase(),
        tx_id: r.txid,
        from_address: router.hex,
      },
    ]);
  });

  it("a plain TRX transfer to a contract is refused, as java-tron does since ForbidTransferToContract", async () => {
    const router = await ctl("deploy-router", {});
    const before = (await node("wallet/getaccount", { address: customer.hex })).balance;
    const tx = await tw.transactionBuilder.sendTrx(router.base58, 1_000_000, customer.base58);
    const r = await signSend(tx, customer.privateKey);
    expect(r.result).toBeUndefined();
    expect(r.code).toBe("CONTRACT_VALIDATE_ERROR");
    expect(Buffer.from(r.message, "hex").toString("utf8")).toBe(
      "Contract validate error : Cannot transfer TRX to a smartContract.",
    );
    await ctl("mine", { blocks: 1 });
    expect((await node("wallet/getaccount", { address: router.hex })).balance).toBeUndefined();
    expect((await node("wallet/getaccount", { address: customer.hex })).balance).toBe(before);
  });

  it("a payout the contract cannot fund fails (TRANSFER_FAILED) and its internal transaction is rejected", async () => {
    const router = await ctl("deploy-router", { sun: 1_000_000 });
    const to = utils.accounts.generateAccount().address;
    const amount = (5_000_000).toString(16).padStart(64, "0");
    const r = await routerCall(router.base58, customer, `${PAYOUT_SELECTOR}${word(to.base58)}${amount}`, 0);
    expect(r.result).toBe(true);
    await ctl("mine", { blocks: 1 });
    const info = await node("wallet/gettransactioninfobyid", { value: r.txid });
    expect(info.result).toBe("FAILED");
    expect(info.receipt.result).toBe("TRANSFER_FAILED");
    expect(info.internal_transactions[0].rejected).toBe(true);
    expect(await node("wallet/getaccount", { address: to.hex })).toEqual({});
    // sending value with the call beyond the balance is refused at broadcast
    const big = await routerCall(router.base58, customer, `${FORWARD_SELECTOR}${word(to.base58)}`, 10 ** 15);
    expect(Buffer.from(big.message, "hex").toString()).toBe(
      "Contract validate error : Validate InternalTransfer error, balance is not sufficient.",
    );
  });
});

describe("dynamic energy factor", () => {
  it("USDT at mainnet's ×4.4 reports energy_penalty_total; the factor moves with usage per maintenance cycle", async () => {
    const holder = utils.accounts.generateAccount().address.base58;
    await usdtTransfer(treasury, holder, 1_000_000);
    const r = await usdtTransfer(pool1, holder, 1_000_000);
    await ctl("mine", { blocks: 1 });
    let info = await node("wallet/gettransactioninfobyid", { value: r.txid });
    expect(info.receipt.energy_usage_total).toBe(64_285);
    expect(info.receipt.energy_penalty_total).toBe(64_285 - 14_610);

    // factor 0 (a quiet contract): the base energy only, no penalty field (proto3 default)
    await ctl("energy-factor", { contract: USDT_BASE58, factor: 0 });
    const est = await node("wallet/triggerconstantcontract", {
      owner_address: pool1.hex,
      contract_address: USDT_HEX,
      function_selector: "transfer(address,uint256)",
      parameter: `${word(holder)}${(1).toString(16).padStart(64, "0")}`,
    });
    expect(est.energy_used).toBe(14_610);
    expect(est.energy_penalty).toBeUndefined();
    const r2 = await usdtTransfer(pool1, holder, 1_000_000);
    await ctl("mine", { blocks: 1 });
    info = await node("wallet/gettransactioninfobyid", { value: r2.txid });
    expect(info.receipt.energy_usage_total).toBe(14_610);
    expect(info.receipt.energy_penalty_total).toBeUndefined();

    // usage above the threshold in a cycle raises the factor by getDynamicEnergyIncreaseFactor
    // (20%) at the next cycle's first call; java-tron's catchUpToCycle
    await ctl("params", { getDynamicEnergyThreshold: 10_000 });
    await ctl("advance-time", { ms: 21_600_000 });
    const r3 = await usdtTransfer(pool1, holder, 1_000_000);
    await ctl("mine", { blocks: 1 });
    info = await node("wallet/gettransactioninfobyid", { value: r3.txid });
    expect(info.receipt.energy_usage_total).toBe(Math.round((64_285 * 12_000) / 44_000));
    expect(info.receipt.energy_penalty_total).toBe(Math.round((64_285 * 12_000) / 44_000) - 14_610);
    const state = await ctl("energy-factor", { contract: USDT_BASE58 });
    expect(state.energyFactor).toBe(2_000);
  });
});

describe("blocks of mainnet size", () => {
  it("fill-blocks makes ≈300 transactions of mixed types per block, executed for real", async () => {
    const r = await ctl("fill-blocks", { blocks: 2, txs: 300 });
    expect(r.refused).toEqual({});
    expect(r.accepted).toBe(600);
    const head = dn.chain.head.number;
    const res = await fetch(`${dn.url}/wallet/getblockbylimitnext`, {
      method: "POST",
      body: JSON.stringify({ startNum: head - 1, endNum: head + 1 }),
    });
    const text = await res.text();
    const { block } = JSON.parse(text);
    expect(block).toHaveLength(2);
    expect(block[1].transactions).toHaveLength(300);
    // about 1 kB of JSON per transaction, as on mainnet
    expect(text.length / 600).toBeGreaterThan(600);
    const types = new Set(
      block.flatMap((b: any) => b.transactions.map((t: any) => t.raw_data.contract[0].type)),
    );
    for (const t of [
      "TriggerSmartContract",
      "TransferContract",
      "TransferAssetContract",
      "DelegateResourceContract",
      "FreezeBalanceV2Contract",
    ])
      expect(types).toContain(t);
    for (const t of block[1].transactions) {
      expect(t).toMatchObject({
        ret: [{ contractRet: expect.any(String) }],
        signature: [expect.stringMatching(/^[0-9a-f]{130}$/)],
        txID: expect.stringMatching(/^[0-9a-f]{64}$/),
        raw_data_hex: expect.any(String),
      });
    }
    const infos = await node("wallet/gettransactioninfobyblocknum", { num: head });
    expect(infos).toHaveLength(300);
    expect(infos.some((i: any) => i.internal_transactions?.length)).toBe(true);
    expect(infos.filter((i: any) => i.log?.length).length).toBeGreaterThan(100);
  });
});

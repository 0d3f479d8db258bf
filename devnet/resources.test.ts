import { TronWeb } from "tronweb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { USDT_BASE58 } from "./chain";
import { devnetAccount, loadDefaultGenesis } from "./genesis";
import { type Devnet, startDevnet } from "./server";

/**
 * Energy accounting the way java-tron does it: Stake 2.0 energy limits in doubles, undelegation
 * moving the receiver's used energy to the owner (UnDelegateResourceActuator), and the lock period
 * being ignored when the chain does not support a maximum lock period.
 */

let dn: Devnet;
let tw: TronWeb;
const pool1 = devnetAccount(1);
const pool3 = devnetAccount(3);
const customer = devnetAccount(4); // holds 500 USDT
const holder = devnetAccount(9);

const post = async (path: string, body: unknown = {}): Promise<any> =>
  (await fetch(`${dn.url}${path}`, { method: "POST", body: JSON.stringify(body) })).json();
const ctl = (path: string, body: unknown = {}) => post(`/_devnet/${path}`, body);

async function signSend(tx: any, pk: string): Promise<any> {
  return tw.trx.sendRawTransaction(await tw.trx.sign(tx, pk));
}

async function delegate(
  from: { base58: string; privateKey: string },
  to: string,
  sun: number,
  lockPeriod?: number,
) {
  const tx = await tw.transactionBuilder.delegateResource(
    sun,
    to,
    "ENERGY",
    from.base58,
    lockPeriod !== undefined,
    lockPeriod,
  );
  const r = await signSend(tx, from.privateKey);
  expect(r.result).toBe(true);
  await ctl("mine");
}

async function undelegate(from: { base58: string; privateKey: string }, to: string, sun: number) {
  const r = await signSend(
    await tw.transactionBuilder.undelegateResource(sun, to, "ENERGY", from.base58),
    from.privateKey,
  );
  expect(r.result).toBe(true); // executed on the head state at once: read before the clock moves
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
  const r = await signSend(transaction, from.privateKey);
  expect(r.result).toBe(true);
  await ctl("mine");
}

const resources = (a: string) => post("/wallet/getaccountresource", { address: TronWeb.address.toHex(a) });
const maxSize = async (a: string) =>
  ((await post("/wallet/getcandelegatedmaxsize", { owner_address: TronWeb.address.toHex(a), type: 1 }))
    .max_size ?? 0) as number;

beforeAll(async () => {
  dn = await startDevnet({ port: 0, blockIntervalMs: 0, solidityLag: 2 });
  tw = new TronWeb({ fullHost: dn.url });
});
afterAll(async () => {
  await dn?.close();
});
beforeEach(async () => {
  await ctl("reset");
  await ctl("fund", { address: holder.base58, trx: 1 });
  await ctl("fund-usdt", { address: holder.base58, amount: 1_000_000 }); // a USDT holder: 64,285 energy
});

describe("Stake 2.0 energy limit", () => {
  it("counts fractional TRX and multiplies in doubles (calculateGlobalEnergyLimitV2)", async () => {
    await ctl("fund", { address: customer.base58, trx: 0 });
    await delegate(pool1, customer.base58, 1_500_000);
    const r = await resources(customer.base58);
    // Stake 1.0 truncated to whole TRX would give 9
    expect(r.EnergyLimit).toBe(Math.trunc(1.5 * (r.TotalEnergyLimit / r.TotalEnergyWeight)));
    expect(r.EnergyLimit).toBe(14);
  });
});

describe("undelegation moves the receiver's used energy to the owner", () => {
  it("all of it when the receiver's energy was all delegated; the owner's delegatable stake recovers over 24 h", async () => {
    const w = await resources(pool1.base58);
    const sunPerEnergy = (w.TotalEnergyWeight * 1e6) / w.TotalEnergyLimit;
    await delegate(pool1, customer.base58, 10_000_000_000); // 94,736 energy, unlocked
    const max0 = await maxSize(pool1.base58);
    await usdtTransfer(customer, holder.base58, 1_000_000);
    const used = (await resources(customer.base58)).EnergyUsed; // 64,285 less one block's recovery
    expect(used).toBeGreaterThan(64_200);
    expect((await resources(pool1.base58)).EnergyUsed ?? 0).toBe(0);

    await undelegate(pool1, customer.base58, 10_000_000_000);
    expect((await resources(customer.base58)).EnergyUsed ?? 0).toBe(0);
    expect((await resources(pool1.base58)).EnergyUsed).toBe(used);
    // the stake is back, less what the moved usage holds (getcandelegatedmaxsize)
    const max1 = await maxSize(pool1.base58);
    expect(max1).toBe(max0 + 10_000_000_000 - Math.floor(used * sunPerEnergy));
    const acct = await post("/wallet/getaccount", { address: pool1.hex });
    expect(acct.account_resource.energy_usage).toBe(used);
    expect(acct.account_resource.energy_window_size).toBeLessThanOrEqual(28_800_000);

    // it recovers linearly: about half after 12 h, all after 24 h
    await ctl("advance-time", { ms: 12 * 3600_000 });
    const half = (await resources(pool1.base58)).EnergyUsed;
    expect(half).toBeGreaterThan(30_000);
    expect(half).toBeLessThan(34_500);
    await ctl("advance-time", { ms: 12 * 3600_000 });
    expect((await resources(pool1.base58)).EnergyUsed ?? 0).toBe(0);
    expect(await maxSize(pool1.base58)).toBe(max0 + 10_000_000_000);
  });

  it("only the share of the undelegated stake when the receiver has other energy", async () => {
    await delegate(pool1, customer.base58, 10_000_000_000);
    await delegate(pool3, customer.base58, 10_000_000_000);
    await usdtTransfer(customer, holder.base58, 1_000_000);
    const used = (await resources(customer.base58)).EnergyUsed;
    await undelegate(pool1, customer.base58, 10_000_000_000);
    const moved = (await resources(pool1.base58)).EnergyUsed;
    expect(moved).toBe(Math.trunc(used * 0.5));
    expect((await resources(customer.base58)).EnergyUsed).toBe(used - moved);
  });
});

describe("a chain without a maximum lock period", () => {
  it("locks every delegation for 3 days, whatever lock_period says", async () => {
    const g = loadDefaultGenesis();
    const old = await startDevnet({
      port: 0,
      blockIntervalMs: 0,
      genesis: { ...g, chainParameters: { ...(g.chainParameters ?? {}), getMaxDelegateLockPeriod: 86_400 } },
    });
    try {
      const otw = new TronWeb({ fullHost: old.url });
      const tx = await otw.transactionBuilder.delegateResource(
        2e6,
        customer.base58,
        "ENERGY",
        pool1.base58,
        true,
        1200,
      );
      const head = (await otw.trx.getCurrentBlock()).block_header.raw_data.timestamp;
      const r = await otw.trx.sendRawTransaction(await otw.trx.sign(tx, pool1.privateKey));
      expect(r.result).toBe(true);
      await fetch(`${old.url}/_devnet/mine`, { method: "POST", body: "{}" });
      const rec = (await otw.trx.getDelegatedResourceV2(pool1.base58, customer.base58, { confirmed: false }))
        .delegatedResource?.[0] as any;
      expect(rec.expire_time_for_energy).toBe(head + 86_400 * 3000);
    } finally {
      await old.close();
    }
  });
});

import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { collections, depositAddresses, deposits } from "@/db/schema";
import { getBalance } from "@/lib/ledger";
import { resetSettings, updateSettings } from "@/lib/settings";
import { createUser } from "@/lib/users";
import { collectOnce, getOrCreateDepositAddress, scanOnce, setScanCursor } from "./index";
import {
  customer,
  type DevnetKit,
  devSigner,
  sendTrx,
  sendTrxViaContract,
  startDevnetKit,
  treasury,
} from "./testing";

/** What the product accepts is credited; what it does not accept is neither credited nor swept. */

const LAG = 1;
let k: DevnetKit;

async function scanAll() {
  let notAccepted = 0;
  for (let i = 0; i < 50; i++) {
    const r = await scanOnce({ client: k.client });
    notAccepted += r.notAccepted;
    if (r.caughtUp) return { notAccepted };
  }
  throw new Error("scanner did not catch up");
}

beforeAll(async () => {
  k = await startDevnetKit(LAG, { autoMine: true });
  await setScanCursor(null);
  await k.mine(LAG + 1);
  await scanAll();
});
afterAll(async () => {
  await setScanCursor(null);
  await k?.close();
});
afterEach(async () => {
  await resetSettings(["minDepositTrxSun", "minDepositUsdtBase"]);
});

describe("accepted deposits and the sweep", () => {
  it("TRX sent by a contract is credited; a rejected one, a below-minimum one and TRC10 are not, and stay on the address when it is swept", async () => {
    await updateSettings({ minDepositTrxSun: "2000000" });
    const u = await createUser();
    const a = await getOrCreateDepositAddress(u.id, { client: k.client });
    const router = await k.ctl("deploy-router", {});
    const viaContract = await sendTrxViaContract(k.client, router.base58, a.address, 12_000_000n);
    // the same call run out of energy: its internal transfer is rejected, nothing arrives
    const rejected = await sendTrxViaContract(k.client, router.base58, a.address, 9_000_000n, {
      feeLimitSun: 100_000,
    });
    const small = await sendTrx(k.client, a.address, 1_000_000n); // below the 2 TRX minimum
    await k.ctl("issue-trc10", { id: "1002000" });
    await k.ctl("fund-trc10", { id: "1002000", address: customer.base58, amount: "1000" });
    const tokenTx = await k.client.tronWeb.transactionBuilder.sendToken(
      a.address,
      500,
      "1002000",
      customer.base58,
    );
    await k.client.tronWeb.trx.sendRawTransaction(
      await devSigner(k.client, customer.privateKey).sign(tokenTx),
    );
    await k.mine(LAG + 1);
    const info = await k.client.getTransactionInfo(rejected);
    expect(info?.receipt.result).toBe("OUT_OF_ENERGY");

    const { notAccepted } = await scanAll();
    expect(notAccepted).toBe(1); // the TRC10 transfer
    const db = await getDb();
    const rows = await db.select().from(deposits).where(eq(deposits.userId, u.id));
    expect(rows.map((d) => [d.txid, d.logIndex, d.currency, d.amountBase, d.status]).sort()).toEqual(
      [
        [viaContract, -2, "TRX", 12_000_000n, "credited"],
        [small, -1, "TRX", 1_000_000n, "below_minimum"],
      ].sort(),
    );
    expect(rows.find((d) => d.txid === viaContract)?.fromAddress).toBe(router.base58);
    expect(await getBalance(u.id)).toBe(12_000_000n);

    // the sweep takes what was credited, nothing else
    const before = (await k.client.getAccount(treasury.base58)).trxSun;
    const res = await collectOnce({
      client: k.client,
      treasury: treasury.base58,
      pollMs: 10,
      waitTimeoutMs: 5_000,
    });
    await k.mine(1);
    const [addr] = await db.select().from(depositAddresses).where(eq(depositAddresses.userId, u.id));
    const [c] = await db
      .select()
      .from(collections)
      .where(and(eq(collections.depositAddressId, addr.id), eq(collections.currency, "TRX")));
    expect(c.status).toBe("completed");
    expect(res.completed).toContain(c.id);
    expect(c.amountBase).toBe(12_000_000n); // free bandwidth paid the transfer: nothing burned
    expect((await k.client.getAccount(treasury.base58)).trxSun).toBe(before + 12_000_000n);
    expect((await k.client.getAccount(a.address)).trxSun).toBe(1_000_000n); // the uncredited TRX stays
    const acct = await (
      await fetch(`${k.dn.url}/wallet/getaccount`, {
        method: "POST",
        body: JSON.stringify({ address: a.address, visible: true }),
      })
    ).json();
    expect(acct.assetV2).toEqual([{ key: "1002000", value: 500 }]); // and the TRC10
    // nothing more to sweep from this address
    await collectOnce({ client: k.client, treasury: treasury.base58, pollMs: 10 });
    expect(await db.select().from(collections).where(eq(collections.depositAddressId, addr.id))).toHaveLength(
      1,
    );
  });
});

import { utils } from "tronweb";
import { scanOnce } from "@/lib/deposits";
import { devSigner } from "@/lib/deposits/testing";
import type { OrderKit } from "@/lib/orders/testing";
import { freshReceiver } from "@/lib/orders/testing";
import { broadcast, buildUsdtTransfer } from "@/lib/tron/tx";

/** Test helpers for packages on the devnet: an address that can send USDT, a transfer, a full scan. */

export type UsdtSender = { base58: string; privateKey: string };

/** A fresh activated account with its key, holding TRX and USDT (so it can send USDT). */
export async function usdtSender(kit: Pick<OrderKit, "ctl">): Promise<UsdtSender> {
  const a = utils.accounts.generateAccount();
  await kit.ctl("fund", { address: a.address.base58, trx: 50 });
  await kit.ctl("fund-usdt", { address: a.address.base58, amount: "100000000" });
  return { base58: a.address.base58, privateKey: a.privateKey };
}

/** `from` sends 1 USDT to a USDT holder; the block is mined. Returns the txid. */
export async function sendUsdt(
  kit: Pick<OrderKit, "ctl" | "client" | "mine">,
  from: UsdtSender,
): Promise<string> {
  const to = await freshReceiver(kit);
  await kit.ctl("fund-usdt", { address: to, amount: "1" });
  const s = await buildUsdtTransfer(
    kit.client,
    { from: from.base58, to, amount: 1_000_000n },
    devSigner(kit.client, from.privateKey),
  );
  await broadcast(kit.client, s.signedTx);
  await kit.mine(4);
  return s.txid;
}

/** Runs the deposit scanner until it has caught up with the solidified head. */
export async function scanAll(kit: Pick<OrderKit, "client">): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const r = await scanOnce({ client: kit.client });
    if (r.caughtUp) return;
  }
  throw new Error("scanner did not catch up");
}

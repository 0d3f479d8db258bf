import type { LeanBlock, LeanInfo } from "@/lib/deposits/reader";
import { b58 } from "@/lib/deposits/reader";

/** A TRX payment to the rental address, as read from a block (and, when read, its receipts). */
export type RentalSeen = {
  txid: string;
  /** -1: a TransferContract; −2 − i: the i-th internal transaction of a contract call. */
  logIndex: number;
  from: string;
  origin: string;
  senderIsContract: boolean;
  amountSun: bigint;
  blockNumber: number;
  blockTime: Date;
};

/**
 * The TRX payments to `rentalHex` ("41…", lowercase) in `blocks`: successful TransferContracts,
 * and — where the receipts were read (`infos`, the crediting pass) — TRX a contract sent to it inside
 * a successful call (not rejected, no TRC10 token). No chain reads: the scanner already read these.
 */
export function findRentalTransfers(
  blocks: LeanBlock[],
  infos: Map<number, LeanInfo[]>,
  rentalHex: string,
): RentalSeen[] {
  const out: RentalSeen[] = [];
  for (const b of blocks) {
    const blockTime = new Date(b.timestamp);
    const owners = new Map<string, string>();
    for (const t of b.txs) {
      if (t.owner) owners.set(t.txid, t.owner);
      if (t.type !== "TransferContract" || t.ret !== "SUCCESS" || t.amount <= 0n) continue;
      if (t.to !== rentalHex || !t.owner) continue;
      const from = b58(t.owner);
      out.push({
        txid: t.txid,
        logIndex: -1,
        from,
        origin: from,
        senderIsContract: false,
        amountSun: t.amount,
        blockNumber: b.number,
        blockTime,
      });
    }
    for (const info of infos.get(b.number) ?? []) {
      if (info.failed) continue;
      for (const it of info.internal) {
        if (it.rejected || it.tokenId !== "" || it.callValue <= 0n || it.to !== rentalHex || !it.caller)
          continue;
        const owner = owners.get(info.id);
        out.push({
          txid: info.id,
          logIndex: -2 - it.index,
          from: b58(it.caller),
          origin: owner ? b58(owner) : b58(it.caller),
          senderIsContract: true,
          amountSun: it.callValue,
          blockNumber: b.number,
          blockTime,
        });
      }
    }
  }
  return out;
}

import { TronWeb, type Types } from "tronweb";
import {
  depositMnemonic,
  depositXpub,
  rentalAddressFromXpub,
  withRentalPrivateKey,
} from "@/lib/deposits/derive";
import type { TronClient } from "@/lib/tron/client";
import type { Signer } from "@/lib/tron/tx";

/**
 * The platform's rental address (pay by transfer): m/44'/195'/0'/1/0 of the deposit account, so
 * every process that shows deposit addresses shows it from DEPOSIT_XPUB alone, and only the worker
 * (which holds DEPOSIT_MNEMONIC) can sign from it — for refunds. See docs/transfers.md.
 */
let cached: { xpub: string; address: string; hex: string } | null = null;

function current() {
  const xpub = depositXpub();
  if (cached?.xpub !== xpub) {
    const address = rentalAddressFromXpub(xpub);
    cached = { xpub, address, hex: TronWeb.address.toHex(address).toLowerCase() };
  }
  return cached;
}

/** The rental address, base58. */
export function rentalAddress(): string {
  return current().address;
}

/** The rental address as lowercase "41…" hex (as the block reader reports addresses). */
export function rentalAddressHex(): string {
  return current().hex;
}

/** Signs with the rental address's key (worker only: APP_ROLE=web has no mnemonic). */
export function rentalSigner(client: TronClient): Signer {
  const mnemonic = depositMnemonic();
  return {
    sign: (tx: Types.Transaction) =>
      withRentalPrivateKey(
        mnemonic,
        (pk) => client.tronWeb.trx.sign(tx, pk) as Promise<Types.SignedTransaction>,
      ),
  };
}

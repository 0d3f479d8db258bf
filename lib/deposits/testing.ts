import type { Types } from "tronweb";
import { devnetAccount } from "@/devnet/genesis";
import { type Devnet, startDevnet } from "@/devnet/server";
import { TronClient } from "@/lib/tron/client";
import { broadcast, buildTrxTransfer, buildUsdtTransfer } from "@/lib/tron/tx";

/** Test/bench helpers around the local devnet (DEVNET ONLY keys). Not used by the app. */

export const USDT = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t";

export type DevnetKit = {
  dn: Devnet;
  client: TronClient;
  ctl: (path: string, body?: Record<string, unknown>) => Promise<any>;
  mine: (blocks?: number) => Promise<void>;
  head: () => Promise<number>;
  close: () => Promise<void>;
};

export function devnetClient(url: string, usdtContract = USDT): TronClient {
  return new TronClient({
    network: "devnet",
    fullHost: url,
    tronscanUrl: url,
    tronscanKey: "devnet",
    timeoutMs: 5_000,
    usdtContract,
    backoffMs: 5,
  });
}

export async function startDevnetKit(solidityLag = 3, opts: { autoMine?: boolean } = {}): Promise<DevnetKit> {
  const dn = await startDevnet({
    port: 0,
    blockIntervalMs: 0,
    solidityLag,
    autoMine: opts.autoMine ?? false,
  });
  const ctl = async (path: string, body: Record<string, unknown> = {}) => {
    const r = await fetch(`${dn.url}/_devnet/${path}`, { method: "POST", body: JSON.stringify(body) });
    if (r.status !== 200) throw new Error(`devnet ${path}: HTTP ${r.status} ${await r.text()}`);
    return r.json();
  };
  return {
    dn,
    client: devnetClient(dn.url),
    ctl,
    mine: async (blocks = 1) => {
      await ctl("mine", { blocks });
    },
    head: async () => dn.chain.head.number,
    close: () => dn.close(),
  };
}

/** A signer from a raw DEVNET private key (tests only). */
export function devSigner(client: TronClient, privateKey: string) {
  return {
    sign: (tx: Types.Transaction) =>
      client.tronWeb.trx.sign(tx, privateKey) as Promise<Types.SignedTransaction>,
  };
}

export const customer = devnetAccount(4);
export const treasury = devnetAccount(0);

/** Sends TRX from a devnet account (default: the customer); returns the txid. Not mined yet. */
export async function sendTrx(
  client: TronClient,
  to: string,
  sun: bigint,
  from: { base58: string; privateKey: string } = customer,
): Promise<string> {
  const s = await buildTrxTransfer(
    client,
    { from: from.base58, to, sun },
    devSigner(client, from.privateKey),
  );
  await broadcast(client, s.signedTx);
  return s.txid;
}

/** Sends a TRC20 `transfer` on `client`'s configured token contract (USDT by default). */
export async function sendToken(
  client: TronClient,
  to: string,
  amount: bigint,
  from: { base58: string; privateKey: string } = customer,
): Promise<string> {
  const s = await buildUsdtTransfer(
    client,
    { from: from.base58, to, amount },
    devSigner(client, from.privateKey),
  );
  await broadcast(client, s.signedTx);
  return s.txid;
}

/**
 * Sends TRX to `to` through a devnet router contract (`forward(address)` with call_value): the TRX
 * arrives as an internal transaction of the contract call. Returns the txid. Not mined yet.
 */
export async function sendTrxViaContract(
  client: TronClient,
  router: string,
  to: string,
  sun: bigint,
  opts: { from?: { base58: string; privateKey: string }; feeLimitSun?: number } = {},
): Promise<string> {
  const from = opts.from ?? customer;
  const { FORWARD_SELECTOR } = await import("@/devnet/contracts");
  const data = `${FORWARD_SELECTOR}${client.tronWeb.address.toHex(to).slice(2).toLowerCase().padStart(64, "0")}`;
  const { transaction } = await client.tronWeb.transactionBuilder.triggerSmartContract(
    router,
    "",
    { feeLimit: opts.feeLimitSun ?? 100_000_000, callValue: Number(sun), input: data } as never,
    [],
    from.base58,
  );
  const signed = await devSigner(client, from.privateKey).sign(transaction);
  await broadcast(client, signed);
  return signed.txID;
}

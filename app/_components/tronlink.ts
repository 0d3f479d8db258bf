/**
 * The browser wallet (TronLink, or any wallet injecting the same `window.tronLink` /
 * `window.tronWeb`) as the portal and the console use it: ask for the account, check it is the
 * wallet in question, sign a message (`signMessageV2`) or sign and send a node-built transaction.
 * The keys never leave the wallet; the server checks every signature again. Each call returns what
 * happened as data (never throws), so the caller only chooses the words.
 */

type SendResult = { result?: boolean; txid?: string; code?: string; message?: string };

/** What a wallet injects (the parts used here). */
export type InjectedTronWeb = {
  defaultAddress?: { base58?: string | false };
  trx: {
    sign?: (tx: unknown) => Promise<unknown>;
    sendRawTransaction?: (tx: unknown) => Promise<SendResult>;
    signMessageV2?: (message: string) => Promise<string>;
  };
};

export type WalletWindow = {
  tronLink?: { request?: (a: { method: string }) => Promise<unknown>; tronWeb?: InjectedTronWeb };
  tronWeb?: InjectedTronWeb;
};

/**
 * Why nothing was signed: no wallet in the browser, the wallet locked (no account selected),
 * another account selected than the wallet in question, the user declined, or the wallet failed.
 */
export type WalletFailure =
  | { ok: false; reason: "noWallet" | "locked" | "rejected" }
  | { ok: false; reason: "wrongAccount"; selected: string }
  | { ok: false; reason: "failed"; detail: string };

type Connected = { ok: true; tronWeb: InjectedTronWeb; selected: string | null };

/** TronLink's "the user rejected the request" (tron_requestAccounts), and its thrown refusals. */
const REJECTED_CODE = 4001;
const REJECTED_TEXT = /declin|reject|cancel|denied/i;

function failureOf(e: unknown): WalletFailure {
  const text = e instanceof Error ? e.message : typeof e === "string" ? e : JSON.stringify(e);
  if (REJECTED_TEXT.test(text ?? "")) return { ok: false, reason: "rejected" };
  return { ok: false, reason: "failed", detail: String(text ?? "unknown").slice(0, 200) };
}

/** Asks the wallet for the account (tron_requestAccounts) and reads the one selected. */
export async function connectWallet(w: WalletWindow): Promise<Connected | WalletFailure> {
  if (!w.tronLink && !w.tronWeb) return { ok: false, reason: "noWallet" };
  if (w.tronLink?.request) {
    let answer: unknown;
    try {
      answer = await w.tronLink.request({ method: "tron_requestAccounts" });
    } catch (e) {
      return failureOf(e);
    }
    const code = (answer as { code?: unknown } | null | undefined)?.code;
    if (code === REJECTED_CODE) return { ok: false, reason: "rejected" };
  }
  const tronWeb = w.tronLink?.tronWeb ?? w.tronWeb;
  if (!tronWeb) return { ok: false, reason: "noWallet" };
  const selected = tronWeb.defaultAddress?.base58;
  return { ok: true, tronWeb, selected: typeof selected === "string" && selected ? selected : null };
}

/**
 * Signs `message` (signMessageV2) with `address`'s key. Refused before signing when the wallet has
 * no account selected or another one: the signature would not prove this wallet.
 */
export async function signOwnership(
  w: WalletWindow,
  p: { address: string; message: string },
): Promise<{ ok: true; signature: string } | WalletFailure> {
  const c = await connectWallet(w);
  if (!c.ok) return c;
  if (!c.selected) return { ok: false, reason: "locked" };
  if (c.selected !== p.address) return { ok: false, reason: "wrongAccount", selected: c.selected };
  if (!c.tronWeb.trx.signMessageV2) return { ok: false, reason: "noWallet" };
  try {
    const signature = await c.tronWeb.trx.signMessageV2(p.message);
    if (typeof signature !== "string" || !signature)
      return { ok: false, reason: "failed", detail: "no signature" };
    return { ok: true, signature };
  } catch (e) {
    return failureOf(e);
  }
}

/**
 * Signs the node-built transaction in the wallet and sends it. With `owner`, a wallet showing
 * another selected account is refused first (a wallet that does not say which account it uses is
 * let through: the chain refuses a signature by the wrong key anyway).
 */
export async function signAndSend(
  w: WalletWindow,
  p: { transaction: unknown; owner?: string },
): Promise<{ ok: true; txid: string } | WalletFailure> {
  const c = await connectWallet(w);
  if (!c.ok) return c;
  if (p.owner && c.selected && c.selected !== p.owner)
    return { ok: false, reason: "wrongAccount", selected: c.selected };
  const { sign, sendRawTransaction } = c.tronWeb.trx;
  if (!sign || !sendRawTransaction) return { ok: false, reason: "noWallet" };
  try {
    const signed = await sign(p.transaction);
    const r = await sendRawTransaction(signed);
    if (r?.result) return { ok: true, txid: String(r.txid ?? "") };
    return { ok: false, reason: "failed", detail: String(r?.message ?? r?.code ?? "refused").slice(0, 200) };
  } catch (e) {
    return failureOf(e);
  }
}

/** The words for a failure, from the labels a page hands its client component. */
export type WalletLabels = {
  noWallet: string;
  locked: string;
  rejected: string;
  /** "{selected}" and "{address}" are replaced. */
  wrongAccount: string;
  /** "{reason}" is replaced. */
  failed: string;
};

export function failureText(f: WalletFailure, labels: WalletLabels, address = ""): string {
  switch (f.reason) {
    case "wrongAccount":
      return labels.wrongAccount.replace("{selected}", f.selected).replace("{address}", address);
    case "failed":
      return labels.failed.replace("{reason}", f.detail);
    default:
      return labels[f.reason];
  }
}

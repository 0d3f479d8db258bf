/**
 * Typed callback data: "feature:action:arg1:arg2", at most 64 bytes (Telegram's limit), ids only
 * (never prices). One definition per button kind; `filter` matches it, `unpack` reads it back.
 */
type CallbackDef<A extends readonly string[]> = {
  prefix: string;
  filter: RegExp;
  pack: (...values: { [K in keyof A]: string | number }) => string;
  unpack: (data: string) => { [K in A[number]]: string } | null;
};

const SAFE = /^[A-Za-z0-9_.-]*$/;

function callbackData<const A extends readonly string[]>(
  feature: string,
  action: string,
  args: A,
): CallbackDef<A> {
  const prefix = `${feature}:${action}`;
  const esc = prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const filter = new RegExp(`^${esc}${args.length ? ":" : ""}${args.map(() => "([^:]*)").join(":")}$`);
  return {
    prefix,
    filter,
    pack: (...values) => {
      const parts = values.map(String);
      for (const p of parts) if (!SAFE.test(p)) throw new Error(`callback arg not safe: ${p}`);
      const s = [prefix, ...parts].join(":");
      if (Buffer.byteLength(s) > 64) throw new Error(`callback data over 64 bytes: ${s}`);
      return s;
    },
    unpack: (data) => {
      const m = filter.exec(data);
      if (!m) return null;
      return Object.fromEntries(args.map((a, i) => [a, m[i + 1]])) as { [K in A[number]]: string };
    },
  };
}

/** Every button the bot sends. */
export const cb = {
  menu: callbackData("m", "home", []),
  help: callbackData("m", "help", []),
  lang: callbackData("lang", "menu", []),
  langSet: callbackData("lang", "set", ["code"]),
  // wallets
  wallets: callbackData("w", "list", []),
  walletOpen: callbackData("w", "open", ["id"]),
  walletAdd: callbackData("w", "add", []),
  walletDefault: callbackData("w", "def", ["id"]),
  walletRename: callbackData("w", "ren", ["id"]),
  walletRemove: callbackData("w", "rm", ["id"]),
  walletRemoveYes: callbackData("w", "rmy", ["id"]),
  walletSkipLabel: callbackData("w", "nolabel", ["id"]),
  walletSaveLookup: callbackData("w", "savelk", []),
  cancelInput: callbackData("m", "cancel", []),
  // referral commissions
  invite: callbackData("inv", "open", []),
  // look-up
  lookup: callbackData("lk", "ask", []),
  lookupWallet: callbackData("lk", "w", ["id"]),
  // rent
  rent: callbackData("r", "open", []),
  rentFor: callbackData("r", "for", ["id"]),
  rentLookup: callbackData("r", "lk", []),
  rentDuration: callbackData("r", "d", ["draft", "key"]),
  rentEnergy: callbackData("r", "e", ["draft", "energy"]),
  rentEnergyOther: callbackData("r", "eo", ["draft"]),
  /** Take the largest amount the pool can deliver (offered when the asked one is too much). */
  rentEnergyMax: callbackData("r", "em", ["draft", "energy"]),
  rentReceiver: callbackData("r", "rcv", ["draft"]),
  rentReceiverWallet: callbackData("r", "rw", ["draft", "id"]),
  rentRecipient: callbackData("r", "rcp", ["draft"]),
  rentReview: callbackData("r", "rv", ["draft"]),
  rentBack: callbackData("r", "back", ["draft"]),
  rentPay: callbackData("r", "pay", ["quote"]),
  rentCancel: callbackData("r", "x", ["draft"]),
  // batch rent (several receivers)
  batch: callbackData("b", "open", []),
  batchEnergy: callbackData("b", "e", ["draft", "energy"]),
  batchDuration: callbackData("b", "d", ["draft", "key"]),
  batchPay: callbackData("b", "pay", ["draft"]),
  batchEdit: callbackData("b", "ed", ["draft"]),
  batchView: callbackData("b", "v", ["id"]),
  // top-up
  topup: callbackData("t", "open", []),
  topupQr: callbackData("t", "qr", []),
  // orders
  orders: callbackData("o", "list", ["cursor"]),
  orderOpen: callbackData("o", "open", ["id"]),
  orderCancel: callbackData("o", "cx", ["id"]),
  orderCancelYes: callbackData("o", "cxy", ["id"]),
  orderRefresh: callbackData("o", "ref", ["id"]),
  orderCheck: callbackData("o", "chk", ["id"]),
  rentAgain: callbackData("r", "again", ["id"]),
  // portal
  portal: callbackData("p", "link", []),
  // pay by transfer
  transfer: callbackData("tf", "open", []),
  transferQr: callbackData("tf", "qr", []),
  // keep-energy subscriptions
  keep: callbackData("k", "list", []),
  keepNew: callbackData("k", "new", []),
  keepOpen: callbackData("k", "open", ["id"]),
  keepPause: callbackData("k", "pause", ["id"]),
  keepResume: callbackData("k", "resume", ["id"]),
  keepCancel: callbackData("k", "cx", ["id"]),
  keepCancelYes: callbackData("k", "cxy", ["id"]),
  // per-transfer packages
  pkg: callbackData("pk", "list", []),
  pkgOpen: callbackData("pk", "open", ["id"]),
  pkgBuy: callbackData("pk", "buy", []),
  pkgSize: callbackData("pk", "size", ["n"]),
  // a supplier's own supply (third-party suppliers)
  supplier: callbackData("sp", "open", []),
  /** Sets availability to the state the button names ("1" on, "0" off): a repeated tap changes nothing. */
  supplierAvailable: callbackData("sp", "av", ["on"]),
  supplierPayout: callbackData("sp", "pay", []),
  supplierPayoutYes: callbackData("sp", "payy", []),
} as const;

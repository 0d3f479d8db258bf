/**
 * `npm run devnet:send -- --to T… --trx 50` (or `--usdt 10`): a real transfer on the local devnet
 * from its funded "customer" account (DEVNET ONLY key), as a wallet would send it — the way to try a
 * deposit without a wallet. Prints the txid. The devnet at DEVNET_PORT (default 9090).
 */
import { envFiles } from "@/scripts/load-env";
import { parseAddress } from "@/lib/tron/address";

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

const to = arg("to");
const trx = arg("trx");
const usdt = arg("usdt");
const fail = (msg: string): never => {
  console.error(msg);
  process.exit(2);
};
if (!to) fail("Usage: npm run devnet:send -- --to <TRON address> (--trx <amount> | --usdt <amount>)");
try {
  parseAddress(to as string);
} catch {
  fail(`--to: "${to}" is not a TRON address`);
}
if ((trx === undefined) === (usdt === undefined)) fail("Give exactly one of --trx and --usdt.");
const amount = (trx ?? usdt) as string;
if (!/^\d+(\.\d{1,6})?$/.test(amount))
  fail(`Amount "${amount}" must be a positive number with at most 6 decimals.`);
const [whole, frac = ""] = amount.split(".");
const base = BigInt(whole) * 1_000_000n + BigInt(frac.padEnd(6, "0"));
if (base <= 0n) fail("The amount must be more than zero.");

const port = process.env.DEVNET_PORT ?? "9090";
const url = `http://127.0.0.1:${port}`;
try {
  await fetch(`${url}/_devnet/state`, { signal: AbortSignal.timeout(2000) });
} catch {
  fail(`No devnet answers at ${url}. Start it with npm run dev (or npm run devnet), or set DEVNET_PORT.`);
}
console.log(
  `devnet:send: the devnet at ${url} (env files ${envFiles.length ? envFiles.join(", ") : "none"})`,
);
const { customer, devnetClient, sendToken, sendTrx } = await import("@/lib/deposits/testing");
const client = devnetClient(url);
const txid = trx ? await sendTrx(client, to as string, base) : await sendToken(client, to as string, base);
console.log(
  `Sent ${amount} ${trx ? "TRX" : "USDT"} from the devnet customer ${customer.base58} to ${to} (devnet ${url}).`,
);
console.log(`txid ${txid}`);

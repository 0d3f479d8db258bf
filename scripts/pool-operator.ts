/**
 * npm run pool:operator — the operator key permission-mode wallets grant (docs/permission-mode.md).
 *
 *   npm run pool:operator                          print the operator address (none: say how to set one)
 *   npm run pool:operator -- --generate            a fresh random key, stored encrypted; prints its address
 *   npm run pool:operator -- --key env:OPERATOR_KEY  a key you bring (or `--key -` to read it from stdin)
 *
 * The key is stored encrypted under KEY_ENCRYPTION_KEY like supplier keys (run it with the worker's
 * settings) and is never printed. Refused while permission-mode wallets name the current key. On the
 * devnet a database without one uses the devnet's operator account, so development needs no step.
 */
import { announceTarget } from "@/scripts/load-env";
import { closeDb } from "@/db";
import { AppError } from "@/lib/errors";
import { operatorAddress, setOperatorKey } from "@/lib/pool";

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = process.argv[i + 1];
  return v === undefined || (v.startsWith("--") && v !== "-") ? "" : v;
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write("Operator private key (hex), then Enter: ");
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) {
    chunks.push(c as Buffer);
    if (Buffer.concat(chunks).includes(10)) break;
  }
  return Buffer.concat(chunks).toString("utf8").trim();
}

async function main(): Promise<number> {
  const generate = process.argv.includes("--generate");
  const key = flag("key");
  if (generate && key !== undefined) {
    console.error("Give either --generate or --key, not both.");
    return 2;
  }
  let privateKey: string | undefined;
  if (key === "-" || key === "") privateKey = await readStdin();
  else if (key?.startsWith("env:")) {
    privateKey = process.env[key.slice(4)] ?? "";
    if (!privateKey) {
      console.error(`Environment variable ${key.slice(4)} is empty.`);
      return 2;
    }
  } else if (key !== undefined) {
    console.error("Pass the key as --key env:VAR or on stdin (--key -), never on the command line.");
    return 2;
  }
  await announceTarget("pool:operator", { keys: generate || privateKey !== undefined });
  try {
    if (!generate && privateKey === undefined) {
      const a = await operatorAddress();
      console.log(
        a
          ? `operator address: ${a}`
          : "no operator key is configured: run `npm run pool:operator -- --generate`",
      );
      return 0;
    }
    const { address } = await setOperatorKey({ privateKey });
    console.log(`operator address: ${address} (owners of permission-mode wallets grant this address)`);
    return 0;
  } catch (e) {
    console.error(e instanceof AppError ? `${e.code}: ${e.message}` : "failed");
    return 1;
  } finally {
    await closeDb();
  }
}

process.exitCode = await main();

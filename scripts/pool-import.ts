/**
 * npm run pool:import — imports a supplier wallet into the pool: the private key is verified
 * against the address, stored encrypted (KEY_ENCRYPTION_KEY), and the wallet refreshed from chain.
 *
 *   npm run pool:import -- --address T… --key env:POOL_KEY [--label "pool 1"] [--priority 10]
 *   echo <hex> | npm run pool:import -- --address T… --key -          (read the key from stdin)
 *   npm run pool:import -- --address T… --key <hex>                   (works, but lands in shell history)
 *
 * With no --key the key is read from stdin. The key is never printed. The devnet prints its
 * accounts' (DEVNET ONLY) keys on start; those work here against a local devnet.
 */
import { announceTarget } from "@/scripts/load-env";
import { z } from "zod";
import { closeDb } from "@/db";
import { AppError } from "@/lib/errors";
import { formatTrx } from "@/lib/money";
import { importWallet } from "@/lib/pool";

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = process.argv[i + 1];
  return v === undefined || (v.startsWith("--") && v !== "-") ? "" : v;
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write("Private key (hex), then Enter: ");
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) {
    chunks.push(c as Buffer);
    if (Buffer.concat(chunks).includes(10)) break;
  }
  return Buffer.concat(chunks).toString("utf8").trim();
}

async function main(): Promise<number> {
  const args = z
    .object({
      address: z.string().min(1, "--address is required"),
      key: z.string().optional(),
      label: z.string().max(100).optional(),
      priority: z.coerce.number().int().min(-1000).max(1000).optional(),
    })
    .safeParse({
      address: flag("address") ?? "",
      key: flag("key"),
      label: flag("label"),
      priority: flag("priority"),
    });
  if (!args.success) {
    console.error(args.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n"));
    return 2;
  }
  const { address, key, label, priority } = args.data;
  let privateKey: string;
  if (key === undefined || key === "-" || key === "") privateKey = await readStdin();
  else if (key.startsWith("env:")) {
    const name = key.slice(4);
    privateKey = process.env[name] ?? "";
    if (!privateKey) {
      console.error(`Environment variable ${name} is empty.`);
      return 2;
    }
  } else {
    console.warn(
      "warning: a key on the command line ends up in shell history; prefer --key env:VAR or stdin.",
    );
    privateKey = key;
  }
  await announceTarget("pool:import", { keys: true });
  try {
    const w = await importWallet({ address, privateKey, label, priority });
    console.log(
      `imported wallet ${w.id}: ${w.address}${w.label ? ` (${w.label})` : ""}, priority ${w.priority}`,
    );
    if (w.lastError) console.log(`  refresh from chain failed: ${w.lastError}`);
    else
      console.log(
        `  TRX ${formatTrx(w.trxSun)}, staked for energy ${formatTrx(w.stakedEnergySun)}, delegated ${formatTrx(w.delegatedEnergySun)}, delegatable ${formatTrx(w.delegatableSun)}`,
      );
    return 0;
  } catch (e) {
    console.error(e instanceof AppError ? `${e.code}: ${e.message}` : "import failed");
    return 1;
  } finally {
    await closeDb();
  }
}

process.exitCode = await main();

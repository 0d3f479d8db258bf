/**
 * npm run pool:import — imports a supplier wallet into the pool: the private key is verified
 * against the address, stored encrypted (KEY_ENCRYPTION_KEY), and the wallet refreshed from chain.
 *
 *   npm run pool:import -- --address T… --key env:POOL_KEY [--label "pool 1"] [--priority 10]
 *   echo <hex> | npm run pool:import -- --address T… --key -          (read the key from stdin)
 *   npm run pool:import -- --address T… --key <hex>                   (works, but lands in shell history)
 *   npm run pool:import -- --address T… --mode permission [--bandwidth-cap 1500] [--trx-cap 5]
 *
 * Permission mode (docs/permission-mode.md): no key; the owner has granted the operator key an
 * Active permission for DelegateResource / UnDelegateResource only. Without the grant (or with a
 * wider one) the import is refused and the script prints the permission to add and the unsigned
 * transaction the owner signs in their own wallet.
 *
 * With no --key the key is read from stdin. The key is never printed. The devnet prints its
 * accounts' (DEVNET ONLY) keys on start; those work here against a local devnet.
 */
import { announceTarget } from "@/scripts/load-env";
import { z } from "zod";
import { closeDb } from "@/db";
import { AppError } from "@/lib/errors";
import { formatTrx } from "@/lib/money";
import { parseTrx } from "@/lib/money";
import { importPermissionWallet, importWallet, type PoolWallet, permissionSetup } from "@/lib/pool";

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
      mode: z.enum(["key", "permission"]).default("key"),
      bandwidthCap: z.coerce.number().int().min(0).max(10_000_000).optional(),
      trxCap: z.string().optional(),
    })
    .safeParse({
      address: flag("address") ?? "",
      key: flag("key"),
      label: flag("label"),
      priority: flag("priority"),
      mode: flag("mode"),
      bandwidthCap: flag("bandwidth-cap"),
      trxCap: flag("trx-cap"),
    });
  if (!args.success) {
    console.error(args.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n"));
    return 2;
  }
  const { address, key, label, priority } = args.data;
  if (args.data.mode === "permission") return importByPermission(args.data);
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
    printWallet(w);
    return 0;
  } catch (e) {
    console.error(e instanceof AppError ? `${e.code}: ${e.message}` : "import failed");
    return 1;
  } finally {
    await closeDb();
  }
}

function printWallet(w: PoolWallet) {
  console.log(
    `imported wallet ${w.id}: ${w.address}${w.label ? ` (${w.label})` : ""}, priority ${w.priority}${w.mode === "permission" ? `, permission mode (permission id ${w.permissionId})` : ""}`,
  );
  if (w.lastError) console.log(`  refresh from chain failed: ${w.lastError}`);
  else
    console.log(
      `  TRX ${formatTrx(w.trxSun)}, staked for energy ${formatTrx(w.stakedEnergySun)}, delegated ${formatTrx(w.delegatedEnergySun)}, delegatable ${formatTrx(w.delegatableSun)}`,
    );
  if (w.mode === "permission")
    console.log(
      `  daily caps: ${w.dailyBandwidthCap} bytes of bandwidth, ${formatTrx(w.dailyTrxCapSun)} burned`,
    );
}

/** --mode permission: no key; refused with what to sign when the grant is missing or too wide. */
async function importByPermission(a: {
  address: string;
  label?: string;
  priority?: number;
  bandwidthCap?: number;
  trxCap?: string;
}): Promise<number> {
  await announceTarget("pool:import", { keys: true });
  try {
    const w = await importPermissionWallet({
      address: a.address,
      label: a.label,
      priority: a.priority,
      dailyBandwidthCap: a.bandwidthCap === undefined ? undefined : BigInt(a.bandwidthCap),
      dailyTrxCapSun: a.trxCap === undefined ? undefined : parseTrx(a.trxCap, { field: "trxCap" }),
    });
    printWallet(w);
    return 0;
  } catch (e) {
    console.error(e instanceof AppError ? `${e.code}: ${e.message}` : "import failed");
    if (e instanceof AppError && e.code === "invalid_state") {
      try {
        const s = await permissionSetup(a.address);
        console.error(
          [
            "",
            `The owner of ${s.owner} adds this Active permission (AccountPermissionUpdate, fee ${formatTrx(s.feeSun)}):`,
            `  name "${s.permission.name}", operations ${s.permission.operationNames.map((n, i) => `${n} (${s.permission.operationIds[i]})`).join(" and ")} only (${s.permission.operations})`,
            `  key ${s.permission.keys[0].address} weight ${s.permission.keys[0].weight}, threshold ${s.permission.threshold}`,
            s.kept.length
              ? `  keeping the owner permission and ${s.kept.map((k) => `"${k.name}" (id ${k.id})`).join(", ")}`
              : "  keeping the owner permission",
            "Unsigned transaction built by the node (sign it in the owner's wallet, then broadcast it):",
            JSON.stringify(s.transaction),
          ].join("\n"),
        );
      } catch {}
    }
    return 1;
  } finally {
    await closeDb();
  }
}

process.exitCode = await main();

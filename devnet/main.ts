/**
 * CLI entry: `npm run devnet`. DEVNET ONLY — the printed keys are public test keys.
 * Env (read from the environment and the same .env files as the app): DEVNET_PORT (9090),
 *      DEVNET_BLOCK_MS (3000), DEVNET_SOLIDITY_LAG (19), DEVNET_GENESIS (path),
 *      DEVNET_HOST (127.0.0.1), DEVNET_AUTO_MINE (0/1), DEVNET_DATA_DIR (.data/devnet),
 *      DEVNET_NODES (lags of several disagreeing nodes, e.g. "0,25"), DEVNET_NODE_PICK (round-robin|random).
 * The chain is kept in DEVNET_DATA_DIR across restarts; `--reset` starts it afresh from genesis,
 * `--in-memory` keeps nothing.
 */
import { envFiles } from "../scripts/load-env";
import { toBase58, USDT_BASE58 } from "./chain";
import { loadDefaultGenesis, loadGenesisFile, resolveGenesis } from "./genesis";
import { startDevnet } from "./server";

const num = (v: string | undefined, d: number) => (v === undefined || v === "" ? d : Number(v));

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== "--reset" && a !== "--in-memory");
  if (unknown.length) throw new Error(`Unknown option ${unknown[0]}. Options: --reset, --in-memory.`);
  const reset = args.includes("--reset");
  const dataDir = args.includes("--in-memory") ? undefined : process.env.DEVNET_DATA_DIR || ".data/devnet";
  const genesisPath = process.env.DEVNET_GENESIS;
  const genesis = genesisPath ? loadGenesisFile(genesisPath) : loadDefaultGenesis();
  const devnet = await startDevnet({
    dataDir,
    reset,
    port: num(process.env.DEVNET_PORT, 9090),
    host: process.env.DEVNET_HOST || "127.0.0.1",
    blockIntervalMs: num(process.env.DEVNET_BLOCK_MS, 3000),
    solidityLag: num(process.env.DEVNET_SOLIDITY_LAG, 19),
    autoMine: process.env.DEVNET_AUTO_MINE === "1",
    genesis,
    nodes: process.env.DEVNET_NODES
      ? {
          nodes: process.env.DEVNET_NODES.split(",").map((lag) => ({ lag: Number(lag.trim()) })),
          pick: process.env.DEVNET_NODE_PICK === "random" ? "random" : "round-robin",
        }
      : undefined,
  });
  const { accounts } = resolveGenesis(genesis);
  const lines = [
    `TRON devnet listening on ${devnet.url}  (fullHost for tronweb; /wallet, /walletsolidity, /v1, /api/accountv2, /_devnet)`,
    `blocks every ${num(process.env.DEVNET_BLOCK_MS, 3000)} ms, solidity lag ${devnet.chain.solidityLag} blocks, USDT ${USDT_BASE58}, FAKE token ${toBase58(devnet.chain.fakeToken)}`,
    "",
    "==================== DEVNET ONLY — NEVER USE THESE KEYS ANYWHERE ELSE ====================",
  ];
  for (const a of accounts) {
    const parts = [`${a.balanceSun / 1e6} TRX`];
    if (a.frozenEnergySun) parts.push(`${a.frozenEnergySun / 1e6} TRX staked ENERGY`);
    if (a.frozenBandwidthSun) parts.push(`${a.frozenBandwidthSun / 1e6} TRX staked BANDWIDTH`);
    if (a.usdtUnits) parts.push(`${Number(a.usdtUnits) / 1e6} USDT`);
    lines.push(`${a.name.padEnd(10)} ${a.base58}  key ${a.privateKey ?? "(none)"}`);
    lines.push(`           ${parts.join(", ")}`);
  }
  lines.push("===========================================================================================");
  const head = devnet.chain.head.number;
  if (!devnet.stateFile) lines.push("chain: in memory only (--in-memory); it is gone when the devnet stops");
  else if (devnet.restored)
    lines.push(
      `chain: continued from ${devnet.stateFile} at block ${head} (npm run devnet -- --reset starts afresh)`,
    );
  else
    lines.push(
      `chain: new from genesis${reset ? " (--reset)" : ""}, kept in ${devnet.stateFile}` +
        (reset
          ? ". Reset the database too (npm run db:reset): it still holds the old chain's blocks and orders."
          : ""),
    );
  lines.push(`env files: ${envFiles.length ? envFiles.join(", ") : "none"}`);
  console.log(lines.join("\n"));

  let closing = false;
  const shutdown = (sig: string) => {
    if (closing) return;
    closing = true;
    console.log(`\n${sig}: stopping devnet`);
    devnet.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

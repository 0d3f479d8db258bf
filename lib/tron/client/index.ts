/**
 * The TRON client: `tron()` (./accessor) is the app's instance; `TronClient` (./tron-client) builds
 * one for another node (tests, scripts). The parts, one concern each:
 *
 * - types.ts: the types callers see (config, account, block, transaction shapes);
 * - config.ts: each network's default node, TronScan and USDT; the config from the environment;
 * - transport.ts: one HTTP exchange (timeout, bigint-safe JSON, rate-limit backoff, metrics);
 * - schemas.ts / mapping.ts: the node's and TronScan's JSON shapes, and their mapping to the types;
 * - full-node.ts / tronscan.ts / overview.ts: the full node's API, TronScan's accountv2, and the
 *   overview that falls back from one to the other;
 * - tron-client.ts: the client class (the public reads, their cache, tronweb over the same node).
 */
export { tron } from "./accessor";
export { tronConfigFromEnv } from "./config";
export { TRANSFER_TOPIC, trc20Transfers } from "./mapping";
export { TronClient } from "./tron-client";
export type * from "./types";

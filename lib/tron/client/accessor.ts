import { tronConfigFromEnv } from "./config";
import { TronClient } from "./tron-client";
import type { TronClientConfig } from "./types";

/**
 * The one way the app gets its TRON client: `tron()`. Pages, routes, the bot, the order engine, the
 * pool, deposits and the Inngest functions all call it (or take a client as a parameter, defaulting
 * to it); nothing else builds the app's client.
 *
 * It is configured only by the environment (`tronConfigFromEnv`: TRON_NETWORK, TRON_FULL_HOST,
 * TRONSCAN_API_URL, TRON_TIMEOUT_MS, …, see lib/env.ts). One client is kept and handed out while
 * those settings stay the same, so its caches are shared; when they change (`reloadEnv()` after
 * setting variables) the next call builds a client for the new settings.
 *
 * Tests, benches and the demo point it at their own in-process devnet the same way an operator
 * points the app at a node: set TRON_NETWORK=devnet, TRON_FULL_HOST and TRONSCAN_API_URL to the
 * devnet's URL, call `reloadEnv()`, and `tron()` reads that devnet. `pointTronAt(url)` in
 * lib/tron/testing.ts does exactly that and returns the undo: the order kit (lib/orders/testing.ts)
 * calls it for its devnet, suites on a deposit kit call it with `k.dn.url`, and the order benches
 * and browser tests set the same variables. Code under test needs no seam, and there is no
 * override: what the app runs is what the tests run.
 */

let current: { config: TronClientConfig; client: TronClient } | null = null;

function sameConfig(a: TronClientConfig, b: TronClientConfig): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof TronClientConfig>;
  for (const k of keys) if (a[k] !== b[k]) return false;
  return true;
}

/** The app's TRON client, built from the environment (a new one only when the settings changed). */
export function tron(): TronClient {
  const config = tronConfigFromEnv();
  if (!current || !sameConfig(current.config, config)) current = { config, client: new TronClient(config) };
  return current.client;
}

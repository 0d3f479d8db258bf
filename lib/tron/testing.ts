import { applyEnv } from "@/lib/env";
import { type TronClient, tron } from "@/lib/tron/client";

/**
 * Tests, benches and the demo: points the app's TRON client (`tron()`) at the devnet at `url`
 * through the environment, as an operator points the app at a node (TRON_NETWORK=devnet,
 * TRON_FULL_HOST and TRONSCAN_API_URL = `url`, TRON_TIMEOUT_MS when given). Returns the app's
 * client for those settings and the undo, which puts the previous settings back. Not used by the app.
 */
export function pointTronAt(
  url: string,
  opts: { timeoutMs?: number } = {},
): { client: TronClient; restore: () => void } {
  const restore = applyEnv({
    TRON_NETWORK: "devnet",
    TRON_FULL_HOST: url,
    TRONSCAN_API_URL: url,
    ...(opts.timeoutMs === undefined ? {} : { TRON_TIMEOUT_MS: String(opts.timeoutMs) }),
  });
  return { client: tron(), restore };
}

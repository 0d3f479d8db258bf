import { env } from "@/lib/env";
import type { TronClientConfig, TronNetwork } from "./types";

/** Where each network's full node, TronScan and USDT contract are, and the client config from env. */

const DEFAULTS: Record<
  TronNetwork,
  { fullHost: string | null; tronscan: string | null; usdt: string | null }
> = {
  devnet: { fullHost: null, tronscan: null, usdt: "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t" },
  nile: {
    fullHost: "https://nile.trongrid.io",
    tronscan: "https://nileapi.tronscan.org",
    usdt: "TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf",
  },
  shasta: {
    fullHost: "https://api.shasta.trongrid.io",
    tronscan: "https://shastapi.tronscan.org",
    usdt: null, // no official USDT on Shasta: USDT_CONTRACT is required there (lib/env.ts)
  },
  mainnet: {
    fullHost: "https://api.trongrid.io",
    tronscan: "https://apilist.tronscanapi.com",
    usdt: "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
  },
};

/** Client config from the environment (see lib/env.ts). */
export function tronConfigFromEnv(): TronClientConfig {
  const d = DEFAULTS[env.TRON_NETWORK];
  const local = `http://127.0.0.1:${env.DEVNET_PORT}`;
  return {
    network: env.TRON_NETWORK,
    fullHost: env.TRON_FULL_HOST ?? d.fullHost ?? local,
    apiKey: env.TRONGRID_API_KEY,
    tronscanUrl: env.TRONSCAN_API_URL ?? d.tronscan ?? local,
    // The local devnet's TronScan wants any non-empty key.
    tronscanKey: env.TRONSCAN_API_KEY ?? (env.TRON_NETWORK === "devnet" ? "devnet" : undefined),
    timeoutMs: env.TRON_TIMEOUT_MS,
    usdtContract: env.USDT_CONTRACT ?? d.usdt ?? "",
  };
}

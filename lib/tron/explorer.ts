import { env } from "@/lib/env";

/**
 * Public explorer links for the configured network (TronScan; devnet has none → null, and surfaces
 * show the txid as text and link to the portal's order page instead).
 */
const BASES: Record<string, string | null> = {
  mainnet: "https://tronscan.org/#",
  nile: "https://nile.tronscan.org/#",
  shasta: "https://shasta.tronscan.org/#",
  devnet: null,
};

function explorerBase(network: string = env.TRON_NETWORK): string | null {
  return BASES[network] ?? null;
}

export function txUrl(txid: string, network?: string): string | null {
  const b = explorerBase(network);
  return b ? `${b}/transaction/${encodeURIComponent(txid)}` : null;
}

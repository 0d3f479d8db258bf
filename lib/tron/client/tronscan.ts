import { tronscanAccountSchema } from "./schemas";
import { type Transport, TransportError } from "./transport";
import type { AccountOverview } from "./types";

/**
 * TronScan's accountv2, the full node's fallback for account overviews: the same figures from an
 * indexer with its own rate limits, so one provider's trouble does not blank the dashboard.
 */
export async function tronscanOverview(
  transport: Transport,
  config: { tronscanUrl?: string; tronscanKey?: string; usdtContract: string },
  b58: string,
): Promise<AccountOverview> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (config.tronscanKey) headers["TRON-PRO-API-KEY"] = config.tronscanKey;
  const raw = await transport.request("tronscan", `${config.tronscanUrl}/api/accountv2?address=${b58}`, {
    method: "GET",
    headers,
  });
  const parsed = tronscanAccountSchema.safeParse(raw);
  if (!parsed.success)
    throw new TransportError("bad_response", "tronscan accountv2: unexpected response shape");
  const t = parsed.data;
  const usdt = t.withPriceTokens.find((x) => x.tokenId === config.usdtContract);
  const bw = t.bandwidth;
  const activated = t.activated ?? (t.balance > 0n || t.date_created !== undefined);
  return {
    address: b58,
    activated,
    trxSun: t.balance,
    energyLimit: bw.energyLimit,
    energyAvailable: bw.energyRemaining,
    bandwidthLimit: bw.freeNetLimit + bw.netLimit,
    bandwidthAvailable: bw.freeNetRemaining + bw.netRemaining,
    usdtBase: usdt?.balance ?? 0n,
    delegatedInEnergySun:
      t.acquiredDelegatedFrozenV2BalanceForEnergy ??
      t.delegated?.acquired_delegated_frozenV2_balance_for_energy ??
      t.delegated?.acquiredDelegatedFrozenV2BalanceForEnergy ??
      t.acquiredDelegateFrozenForEnergy ??
      0n,
    provider: "tronscan",
    fetchedAt: new Date(),
  };
}

import { AppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { parseAddress } from "@/lib/tron/address";
import { ChainError } from "@/lib/tron/errors";
import type { FullNode } from "./full-node";
import { clamp0 } from "./mapping";
import { tronscanOverview } from "./tronscan";
import { type Transport, TransportError } from "./transport";
import type { AccountOverview } from "./types";

/**
 * An account overview from the full node; when it fails, times out or rate-limits, from TronScan
 * accountv2 (when configured). Both failing → AppError("provider_unavailable").
 */
export async function accountOverview(
  node: FullNode,
  transport: Transport,
  config: { tronscanUrl?: string; tronscanKey?: string; usdtContract: string },
  address: string,
  withUsdt: boolean,
): Promise<AccountOverview> {
  const b58 = parseAddress(address);
  let nodeFailure: unknown;
  try {
    const [acct, res, usdt] = await Promise.all([
      node.account(b58),
      node.resources(b58),
      withUsdt ? node.usdt(b58) : 0n,
    ]);
    return {
      address: b58,
      activated: acct.activated,
      trxSun: acct.trxSun,
      energyLimit: res.energyLimit,
      energyAvailable: clamp0(res.energyLimit - res.energyUsed),
      bandwidthLimit: res.freeNetLimit + res.netLimit,
      bandwidthAvailable: clamp0(res.freeNetLimit - res.freeNetUsed) + clamp0(res.netLimit - res.netUsed),
      usdtBase: usdt,
      delegatedInEnergySun: acct.delegatedInEnergySun,
      provider: "fullnode",
      fetchedAt: new Date(),
    };
  } catch (e) {
    // Any full-node failure (transport, rate limit, odd shape, {"Error"} reply) → try TronScan.
    nodeFailure = e;
  }
  if (!config.tronscanUrl) {
    throw new AppError(
      "provider_unavailable",
      "The TRON node is not answering right now. Please try again shortly.",
      {
        details: { fullnode: (nodeFailure as Error).message },
      },
    );
  }
  logger.warn(
    {
      provider: "tronscan",
      reason: nodeFailure instanceof TransportError ? nodeFailure.kind : "chain_error",
      error: (nodeFailure as Error).message,
    },
    "tron full node failed; falling back to TronScan for the account overview",
  );
  try {
    return await tronscanOverview(transport, config, b58);
  } catch (e) {
    logger.warn({ error: (e as Error).message }, "tronscan fallback failed too");
    if (e instanceof AppError && !(e instanceof ChainError)) throw e;
    throw new AppError(
      "provider_unavailable",
      "No TRON data provider is answering right now. Please try again shortly.",
      {
        details: { fullnode: (nodeFailure as Error).message, tronscan: (e as Error).message },
      },
    );
  }
}

import { AFTER_RECLAIM_SECONDS } from "@/lib/admin/costs";
import { logger } from "@/lib/log";
import { orderCapacity } from "@/lib/pool/capacity";
import { TX_BYTES } from "@/lib/pool/refresh";
import type { Settings } from "@/lib/settings";
import { tron } from "@/lib/tron/client";
import type { Market } from "./smart";

/**
 * The market a price is made in, read live and cached briefly (one read per `TTL_MS` however many
 * quotes; concurrent callers share the read in flight):
 * - pool utilisation: from lib/pool/capacity's one statement (no receiver), the stake of the
 *   enabled key wallets that is not free: delegated, reserved by delegations in flight, kept by
 *   energy the wallets themselves used, or spoken for by paid orders not yet planned;
 * - the burn price: the chain's `getEnergyFee` (tron client, cached 30 s), or the `burnPriceSun`
 *   setting when live reading is off or the chain does not answer;
 * - the chain's energy weights and bandwidth price, for the cost floor.
 */
const TTL_MS = 2_000;
let cached:
  | { at: number; client: unknown; live: boolean; fallback: bigint; value: Promise<Market> }
  | undefined;

/**
 * Drops the cached market (tests). A settings change needs no call (the key includes the burn price
 * settings), nor does pointing the app at another node (the key includes the TRON client).
 */
export function clearMarketCache(): void {
  cached = undefined;
  burnUnread = undefined;
}

/** Utilisation in basis points from total stake and what is still free for new orders. */
export function utilisationBps(totalSun: bigint, freeSun: bigint, pendingSun: bigint): number {
  if (totalSun <= 0n) return 10_000;
  const avail = freeSun > pendingSun ? freeSun - pendingSun : 0n;
  const used = totalSun > avail ? totalSun - avail : 0n;
  return Number((used * 10_000n) / totalSun);
}

type ChainParams = Awaited<ReturnType<ReturnType<typeof tron>["getChainParameters"]>>;

/** The burn price from chain parameters as read (or the read's error): getEnergyFee, else the setting. */
function burnPriceOf(
  s: Settings,
  params: ChainParams | Error,
): { burnPriceSun: bigint; burnPriceLive: boolean } {
  if (params instanceof Error) {
    logger.warn({ err: params }, "pricing: chain parameters unreadable; using the burn price setting");
    return { burnPriceSun: s.burnPriceSun, burnPriceLive: false };
  }
  if (s.pricing.liveBurnPrice && params.getEnergyFee !== undefined && params.getEnergyFee > 0n)
    return { burnPriceSun: params.getEnergyFee, burnPriceLive: true };
  return { burnPriceSun: s.burnPriceSun, burnPriceLive: false };
}

/**
 * The burn price alone (sun per energy burned without energy), as quotes use it: the chain's
 * `getEnergyFee` (the tron client's cached chain parameters), or the `burnPriceSun` setting when
 * live reading is off or the node cannot be read. For what a surface says a transfer burns, where
 * the rest of the market (the pool's utilisation) is not needed. After a failed read the setting is
 * used for 30 s without asking the node again.
 */
export async function getBurnPrice(s: Settings): Promise<{ burnPriceSun: bigint; burnPriceLive: boolean }> {
  const setting = { burnPriceSun: s.burnPriceSun, burnPriceLive: false };
  if (!s.pricing.liveBurnPrice) return setting;
  const client = tron();
  // After a failed read, the setting for a while: a menu does not wait on a node that is down.
  if (burnUnread && burnUnread.client === client && Date.now() < burnUnread.until) return setting;
  const params = await client.getChainParameters().catch((e: unknown) => toError(e));
  if (params instanceof Error) burnUnread = { client, until: Date.now() + BURN_RETRY_MS };
  return burnPriceOf(s, params);
}
const BURN_RETRY_MS = 30_000;
let burnUnread: { client: unknown; until: number } | undefined;

const toError = (e: unknown) => (e instanceof Error ? e : new Error(String(e)));

async function readMarket(s: Settings): Promise<Market> {
  const client = tron();
  const [cap, params] = await Promise.all([
    orderCapacity(),
    client.getChainParameters().catch((e: unknown) => toError(e)),
  ]);
  const { burnPriceSun, burnPriceLive } = burnPriceOf(s, params);
  const sunPerByte =
    !(params instanceof Error) && params.getTransactionFee !== undefined ? params.getTransactionFee : 1_000n;
  return {
    utilisationBps: utilisationBps(cap.totalSun, cap.freeSun, cap.pendingSun),
    burnPriceSun,
    burnPriceLive,
    weights: cap.weights,
    sunPerByte,
    txBytes: TX_BYTES,
    afterReclaimSeconds: AFTER_RECLAIM_SECONDS,
  };
}

/**
 * The chain figures the pricing floor needs (energy weights, bandwidth price), without the pool's
 * utilisation: for checking and showing hand-set offers against the floor (lib/pricing/offer-floors).
 * Never fails: a figure the node does not give is left out as `readMarket` leaves it (no weights:
 * no stake part; the bandwidth price at 1,000 sun per byte), so the floor is then a lower bound and
 * saving settings does not wait on the node coming back. Reads go through the tron client's caches.
 */
export async function getFloorMarket(s: Settings): Promise<Market> {
  const client = tron();
  const [params, weights] = await Promise.all([
    client.getChainParameters().catch((e: unknown) => toError(e)),
    client.getEnergyWeights().catch((e: unknown) => toError(e)),
  ]);
  if (weights instanceof Error)
    logger.warn({ err: weights }, "pricing: energy weights unreadable; the floor counts no stake");
  return {
    utilisationBps: 0,
    ...burnPriceOf(s, params),
    weights: weights instanceof Error ? null : weights,
    sunPerByte:
      !(params instanceof Error) && params.getTransactionFee !== undefined
        ? params.getTransactionFee
        : 1_000n,
    txBytes: TX_BYTES,
    afterReclaimSeconds: AFTER_RECLAIM_SECONDS,
  };
}

/** The market now (cached for a couple of seconds). */
export function getMarket(s: Settings): Promise<Market> {
  const now = Date.now();
  const client = tron();
  const c = cached;
  if (
    c &&
    now - c.at < TTL_MS &&
    c.client === client &&
    c.live === s.pricing.liveBurnPrice &&
    c.fallback === s.burnPriceSun
  )
    return c.value;
  const value = readMarket(s);
  const entry = { at: now, client, live: s.pricing.liveBurnPrice, fallback: s.burnPriceSun, value };
  cached = entry;
  value.catch(() => {
    if (cached === entry) cached = undefined;
  });
  return value;
}

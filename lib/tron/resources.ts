import { AppError } from "@/lib/errors";
import type { TronClient } from "@/lib/tron/client";

/**
 * Resource math (Stake 2.0). All amounts are integer sun (bigint); energy is bigint too.
 *
 * The chain computes an account's EnergyLimit (java-tron EnergyProcessor.calculateGlobalEnergyLimitV2)
 * in doubles: (long) ((double) stakedSun / 1e6 × ((double) TotalEnergyLimit / TotalEnergyWeight)),
 * where TotalEnergyWeight is in whole TRX and TotalEnergyLimit is the current network energy limit
 * (both from `wallet/getaccountresource`). The stake is NOT truncated to whole TRX (that was
 * Stake 1.0). The inverse (TRX to delegate for N energy) is
 *   ceil(N × 1e6 × TotalEnergyWeight / TotalEnergyLimit) sun, at least 1 TRX,
 * which the doubles can still land one energy short of (899 for 900): `delegationSunForEnergy`
 * checks the result with the chain's own arithmetic and adds a TRX when it does.
 */

export const SUN_PER_TRX = 1_000_000n;
export const MIN_DELEGATE_SUN = SUN_PER_TRX;
const BLOCK_SECONDS = 3;

export type EnergyWeights = { totalEnergyWeight: bigint; totalEnergyLimit: bigint };

function checkWeights(w: EnergyWeights): void {
  if (w.totalEnergyWeight <= 0n || w.totalEnergyLimit <= 0n) {
    throw new AppError("chain_error", "The network reported zero energy weight or limit.", {
      details: {
        totalEnergyWeight: String(w.totalEnergyWeight),
        totalEnergyLimit: String(w.totalEnergyLimit),
      },
    });
  }
}

/** Sun of staked TRX to delegate so the receiver gets at least `energy`: ceil(E×1e6×W/L), min 1 TRX. */
export function sunForEnergy(energy: bigint, w: EnergyWeights): bigint {
  if (energy < 0n) throw new AppError("energy_out_of_range", "Energy cannot be negative.");
  checkWeights(w);
  const num = energy * SUN_PER_TRX * w.totalEnergyWeight;
  const sun = (num + w.totalEnergyLimit - 1n) / w.totalEnergyLimit;
  return sun < MIN_DELEGATE_SUN ? MIN_DELEGATE_SUN : sun;
}

/**
 * Energy the chain grants for `sun` of staked TRX, computed exactly as java-tron does
 * (EnergyProcessor.calculateGlobalEnergyLimitV2, Stake 2.0): with IEEE doubles, the same operations
 * in the same order, then truncated — so the rounding agrees with the chain bit for bit. Fractional
 * TRX count. For an account's total, apply it to the account's total stake (own frozenV2 +
 * acquired), not per delegation.
 */
export function energyForSun(sun: bigint, w: EnergyWeights): bigint {
  if (sun <= 0n || w.totalEnergyWeight <= 0n) return 0n;
  const weight = Number(sun) / 1_000_000;
  return BigInt(Math.trunc(weight * (Number(w.totalEnergyLimit) / Number(w.totalEnergyWeight))));
}

/**
 * Sun to delegate, in whole TRX (min 1 TRX), so that the receiver's EnergyLimit rises by at least
 * `energy`, plus `headroomBps` basis points (see `driftHeadroomBps`): ceil(E × W / L) TRX, then one
 * TRX more for as long as the chain's double arithmetic (`energyForSun`) would still come out short.
 */
export function delegationSunForEnergy(
  energy: bigint,
  w: EnergyWeights,
  opts: { headroomBps?: number } = {},
): bigint {
  if (energy < 0n) throw new AppError("energy_out_of_range", "Energy cannot be negative.");
  checkWeights(w);
  const bps = BigInt(Math.max(0, Math.ceil(opts.headroomBps ?? 0)));
  const target = (energy * (10_000n + bps) + 9_999n) / 10_000n;
  let trx = (target * w.totalEnergyWeight + w.totalEnergyLimit - 1n) / w.totalEnergyLimit;
  if (trx < 1n) trx = 1n;
  while (energyForSun(trx * SUN_PER_TRX, w) < target) trx += 1n;
  return trx * SUN_PER_TRX;
}

/**
 * Headroom (basis points of the energy) against TotalEnergyWeight drifting up during a rental: the
 * receiver's energy from a fixed stake falls as the network's total stake grows. `perDayBps` for
 * each started day of the rental, at most 10 %.
 */
export function driftHeadroomBps(durationSeconds: number, perDayBps: number): number {
  if (!(durationSeconds > 0) || !(perDayBps > 0)) return 0;
  return Math.min(1_000, Math.ceil((durationSeconds / 86_400) * perDayBps));
}

export class LockPeriodError extends AppError {
  readonly reason: "too_long" | "invalid" | "unsupported";
  constructor(
    reason: "too_long" | "invalid" | "unsupported",
    message: string,
    details: Record<string, unknown>,
  ) {
    super("unknown_duration", message, { details: { reason, ...details } });
    this.name = "LockPeriodError";
    this.reason = reason;
  }
}

/** java-tron's DELEGATE_PERIOD in blocks: 3 days, the lock of every delegation on a chain without a max lock period. */
const DEFAULT_LOCK_BLOCKS = 86_400;

/**
 * Lock period in blocks (3 s each) covering `durationSeconds`: ceil(s/3); refuses more than
 * `maxBlocks`. A chain whose getMaxDelegateLockPeriod is at most 86,400 blocks (or with no unfreeze
 * delay) ignores lock_period and locks every delegation for 3 days (java-tron
 * supportMaxDelegateLockPeriod): only a 3-day rental can be locked for its time there.
 */
export function lockPeriodBlocks(
  durationSeconds: number,
  maxBlocks: number,
  opts: { unfreezeDelayDays?: number } = {},
): number {
  if (!Number.isFinite(durationSeconds) || durationSeconds <= 0) {
    throw new LockPeriodError("invalid", "The rental duration must be a positive number of seconds.", {
      durationSeconds,
    });
  }
  const blocks = Math.ceil(durationSeconds / BLOCK_SECONDS);
  const supportsMax = maxBlocks > DEFAULT_LOCK_BLOCKS && (opts.unfreezeDelayDays ?? 1) > 0;
  if (!supportsMax && blocks !== DEFAULT_LOCK_BLOCKS) {
    throw new LockPeriodError(
      "unsupported",
      "This network locks every delegation for 3 days, so only 3-day rentals can be delivered on it.",
      { blocks, maxBlocks },
    );
  }
  if (blocks > maxBlocks && supportsMax) {
    throw new LockPeriodError(
      "too_long",
      `The duration is longer than the network's maximum delegation lock (${maxBlocks} blocks ≈ ${Math.floor(
        (maxBlocks * BLOCK_SECONDS) / 86_400,
      )} days).`,
      { blocks, maxBlocks },
    );
  }
  return blocks;
}

const USDT_HOLDER_ENERGY = 65_000n;
const USDT_EMPTY_ENERGY = 131_000n;

type UsdtEnergyOptions = { holderEnergy?: bigint; emptyEnergy?: bigint };

/**
 * Energy to suggest for one USDT transfer. It depends on the address the USDT is SENT TO (a zero
 * balance means a new storage slot, ~131k energy), not on the address receiving the energy.
 */
export function suggestUsdtEnergy(opts: { recipientUsdtBase: bigint } & UsdtEnergyOptions): bigint {
  const { recipientUsdtBase, holderEnergy = USDT_HOLDER_ENERGY, emptyEnergy = USDT_EMPTY_ENERGY } = opts;
  return recipientUsdtBase > 0n ? holderEnergy : emptyEnergy;
}

/** Reads the USDT recipient's balance live and suggests the energy for a transfer to it. */
export async function suggestUsdtEnergyFor(
  client: Pick<TronClient, "usdtBalanceOf">,
  recipientAddress: string,
  opts: UsdtEnergyOptions = {},
): Promise<bigint> {
  const recipientUsdtBase = await client.usdtBalanceOf(recipientAddress);
  return suggestUsdtEnergy({ recipientUsdtBase, ...opts });
}

/** Live: sun to delegate for `energy`, from fresh (≤ cache TTL) network weights. */
export async function sunForEnergyLive(
  client: Pick<TronClient, "getEnergyWeights">,
  energy: bigint,
): Promise<bigint> {
  return sunForEnergy(energy, await client.getEnergyWeights());
}

/** Live: lock period in blocks for a duration, bounded by chain parameter getMaxDelegateLockPeriod. */
export async function lockPeriodBlocksLive(
  client: Pick<TronClient, "getChainParameters">,
  durationSeconds: number,
): Promise<number> {
  const params = await client.getChainParameters();
  const max = params.getMaxDelegateLockPeriod ?? BigInt(DEFAULT_LOCK_BLOCKS);
  return lockPeriodBlocks(durationSeconds, Number(max), {
    unfreezeDelayDays: Number(params.getUnfreezeDelayDays ?? 14n),
  });
}

/**
 * Energy usage and its recovery window, after java-tron's ResourceProcessor (increaseV2,
 * unDelegateIncreaseV2) and UnDelegateResourceActuator, in milliseconds instead of slots.
 * DEVNET ONLY.
 *
 * An account's energy usage recovers linearly to zero over its own window (24 h when it was last
 * consumed from nothing). Consuming more merges the remaining usage and the new usage into one
 * window weighted by amount; undelegating moves the receiver's share of its usage to the owner,
 * whose window becomes the amount-weighted mean of its own remaining window and the receiver's.
 */
import type { Account } from "./chain";

export const WINDOW_MS = 28_800 * 3000; // 24 h
const SUN = 1_000_000;

/** Usage left at `now` of `usage` consumed at `lastTime`, recovering over `windowMs`. */
export function recovered(usage: number, lastTime: number, now: number, windowMs = WINDOW_MS): number {
  if (usage <= 0) return 0;
  if (lastTime + windowMs <= now) return 0;
  const delta = Math.max(0, now - lastTime);
  return Math.round((usage * (windowMs - delta)) / windowMs);
}

export const energyWindowOf = (a: Account): number => a.energyWindow ?? WINDOW_MS;

/** Energy usage of `a` at `now` (recovered). */
export function energyUsedAt(a: Account, now: number): number {
  return recovered(a.energyUsage, a.energyTime, now, energyWindowOf(a));
}

/** The part of `a`'s window still to run at `now` (0 once the usage has recovered). */
function remainingWindow(a: Account, now: number): number {
  return Math.max(0, energyWindowOf(a) - Math.max(0, now - a.energyTime));
}

/** ResourceProcessor.increaseV2 for ENERGY: `amount` more energy used at `now`. */
export function consumeEnergy(a: Account, amount: number, now: number): void {
  if (amount <= 0) return;
  const remain = energyUsedAt(a, now);
  const remainWindow = remain > 0 ? remainingWindow(a, now) : 0;
  const next = remain + amount;
  a.energyWindow =
    remain === 0
      ? WINDOW_MS
      : Math.min(WINDOW_MS, Math.ceil((remain * remainWindow + amount * WINDOW_MS) / next));
  a.energyUsage = next;
  a.energyTime = now;
}

/**
 * UnDelegateResourceActuator + EnergyProcessor.unDelegateIncreaseV2: the receiver gives back
 * `balance` sun of delegated energy; its usage share for that stake (at most the energy that stake
 * grants) moves to the owner. Returns the usage moved. `acquired` is the receiver's delegated-in
 * balance before the undelegation.
 */
export function moveUsageOnUndelegate(p: {
  owner: Account;
  receiver: Account;
  balance: number;
  now: number;
  totalEnergyLimit: number;
  totalEnergyWeight: number;
}): number {
  const { owner, receiver, balance, now } = p;
  // receiver: bring usage and window up to now (EnergyProcessor.updateUsage)
  const rUsage = energyUsedAt(receiver, now);
  const rWindow = rUsage > 0 ? remainingWindow(receiver, now) : WINDOW_MS;
  let transfer = 0;
  const allFrozen = receiver.frozenEnergy + receiver.acquiredEnergy;
  if (receiver.acquiredEnergy >= balance && allFrozen > 0 && p.totalEnergyWeight > 0) {
    const maxUsage = Math.trunc((balance / SUN) * (p.totalEnergyLimit / p.totalEnergyWeight));
    transfer = Math.min(maxUsage, Math.trunc(rUsage * (balance / allFrozen)));
  }
  receiver.energyUsage = rUsage - transfer;
  receiver.energyTime = now;
  receiver.energyWindow = rWindow;
  if (transfer <= 0) return 0;
  // owner: its own usage brought up to now, plus the moved usage, windows weighted by amount
  const oUsage = energyUsedAt(owner, now);
  const oWindow = oUsage > 0 ? remainingWindow(owner, now) : 0;
  const next = oUsage + transfer;
  owner.energyWindow = Math.min(WINDOW_MS, Math.ceil((oUsage * oWindow + transfer * rWindow) / next));
  owner.energyUsage = next;
  owner.energyTime = now;
  return transfer;
}

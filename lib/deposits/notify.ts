import type { Deposit } from "@/db/schema";
import { logger } from "@/lib/log";

/**
 * Deposit notifications for the surfaces (the bot registers a listener). Listeners run after the
 * database transaction committed; a failing listener is logged and never breaks the scanner.
 * "credited" is delivered at least once (rows with `notified_at` null are retried by the scanner);
 * "seen" is best effort.
 */
export type DepositEventKind = "seen" | "credited";
export type DepositListener = (deposit: Deposit, kind: DepositEventKind) => void | Promise<void>;

const g = globalThis as unknown as { __tehDepositListeners?: Set<DepositListener> };
const listeners = (): Set<DepositListener> => {
  g.__tehDepositListeners ??= new Set();
  return g.__tehDepositListeners;
};

/** Registers a listener; returns the function that removes it. */
export function onDepositChanged(listener: DepositListener): () => void {
  listeners().add(listener);
  return () => {
    listeners().delete(listener);
  };
}

export function hasDepositListeners(): boolean {
  return listeners().size > 0;
}

async function emit(deposit: Deposit, kind: DepositEventKind): Promise<boolean> {
  let ok = true;
  for (const l of [...listeners()]) {
    try {
      await l(deposit, kind);
    } catch (e) {
      ok = false;
      logger.error(
        { depositId: deposit.id, kind, error: e instanceof Error ? e.message : String(e) },
        "deposit listener failed",
      );
    }
  }
  return ok;
}

/** Tells the listeners a deposit was credited. Never throws; false if a listener failed. */
export async function notifyDepositCredited(deposit: Deposit): Promise<boolean> {
  try {
    return await emit(deposit, "credited");
  } catch {
    return false;
  }
}

/** Tells the listeners a deposit was seen on chain (not final yet). Never throws. */
export async function notifyDepositSeen(deposit: Deposit): Promise<boolean> {
  try {
    return await emit(deposit, "seen");
  } catch {
    return false;
  }
}

import { AsyncLocalStorage } from "node:async_hooks";
import type { User, UserWallet } from "@/db/schema";

/**
 * What the webhook's update claim read for the bot in the same round trip (lib/bot/updates): the
 * sender's user row and the chat's session, for this one update. The bot takes them from here
 * instead of querying again; outside `runClaimed` (long polling, tests calling handleUpdate)
 * nothing is prefetched and the bot reads as usual.
 */
export type Claimed = {
  updateId: number;
  /** The sender whose row was read (null: none read), and the row (null: no such user yet). */
  telegramId: number | null;
  user: User | null | undefined;
  /** That user's default wallet, read in the same statement (null: none). */
  defaultWallet: UserWallet | null | undefined;
  /** That user has a supplier profile (undefined: not read). */
  supplier?: boolean;
  /** Storage key of the session read with the claim, and its value (undefined: no row). */
  sessionKey: string | null;
  session: unknown;
  sessionTaken: boolean;
  /**
   * The sender's count in the bot's rate-limit window, counted by the claim (./rate-limit), and
   * that window's length; undefined when the claim did not count (the bot then counts itself).
   */
  limitHits?: { count: number; windowMs: number; taken: boolean };
};

const current = new AsyncLocalStorage<Claimed>();

/** Runs the bot for a claimed update, with what the claim read available to it. */
export function runClaimed<T>(claimed: Claimed, fn: () => T): T {
  return current.run(claimed, fn);
}

/** The user row read with this update's claim: undefined when not read for this sender. */
export function prefetchedUser(telegramId: number): User | null | undefined {
  const c = current.getStore();
  return c && c.telegramId === telegramId ? c.user : undefined;
}

/**
 * The balance, default wallet and supplier flag read with this update's claim, for the main menu
 * shown by an update that changes none of them (a menu button, /start, /menu): as fresh as reading
 * them again, one round trip fewer. Undefined when not read for this user.
 */
export function prefetchedMenu(
  userId: number,
): { balanceSun: bigint; defaultWallet: UserWallet | null; supplier: boolean } | undefined {
  const c = current.getStore();
  if (!c?.user || c.user.id !== userId || c.defaultWallet === undefined || c.supplier === undefined)
    return undefined;
  return { balanceSun: c.user.balanceSun, defaultWallet: c.defaultWallet, supplier: c.supplier };
}

/**
 * The session value read with this update's claim, once (a second read goes to the database);
 * undefined when not read for this key. `{ value: undefined }` means no session row.
 */
export function takePrefetchedSession(key: string): { value: unknown } | undefined {
  const c = current.getStore();
  if (!c || c.sessionTaken || c.sessionKey !== key) return undefined;
  c.sessionTaken = true;
  return { value: c.session };
}

/**
 * The sender's rate-limit count the claim already recorded for this update, once, when it was
 * counted in a window of `windowMs` (a second call, another sender or another window: undefined).
 */
export function takePrefetchedLimitHits(telegramId: string, windowMs: number): number | undefined {
  const c = current.getStore();
  const h = c?.limitHits;
  if (!h || h.taken || h.windowMs !== windowMs || String(c.telegramId) !== telegramId) return undefined;
  h.taken = true;
  return h.count;
}

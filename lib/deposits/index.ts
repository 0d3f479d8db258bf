import { and, desc, eq, lt } from "drizzle-orm";
import { getDb } from "@/db";
import { type Deposit, deposits } from "@/db/schema";
import { registerHealthCheck } from "@/lib/health";
import { getSettings } from "@/lib/settings";
import { scannerStatus } from "./cursors";

/**
 * Top-up / deposits (docs/design.md §5): a deposit address per user (HD, xpub-only on the web side), a block
 * scanner that credits each final transfer exactly once, notifications, and collection to treasury.
 */
export {
  getDepositAddressOf,
  getOrCreateDepositAddress,
} from "./addresses";
export { DROPPED_AFTER_BLOCKS, usdtToSun } from "./credit";
export { scannerStatus, setScanCursor } from "./cursors";
export { MAX_RESCAN_BLOCKS, rescanAddress } from "./rescan";
export { type ScanResult, scanOnce } from "./scanner";

/** Fallback when the scanner has not stored both heads yet (mainnet solidity lag). */
const DEFAULT_SOLIDITY_LAG = 19;

export type DepositView = Deposit & { confirmations: number; requiredConfirmations: number };

/**
 * A user's deposits, newest first, with confirmations from the scanner's last view of the chain:
 * confirmations = head − block + 1 (the including block counts as one), required = the solidity lag
 * + 1 (a block is final once it is at or below the solidified head).
 */
export async function listDeposits(opts: {
  userId: number;
  limit?: number;
  beforeId?: number;
}): Promise<DepositView[]> {
  const db = await getDb();
  const [rows, st] = await Promise.all([
    db
      .select()
      .from(deposits)
      .where(
        and(eq(deposits.userId, opts.userId), opts.beforeId ? lt(deposits.id, opts.beforeId) : undefined),
      )
      .orderBy(desc(deposits.id))
      .limit(Math.max(1, Math.min(opts.limit ?? 20, 200))),
    scannerStatus(),
  ]);
  const lag =
    st.head !== null && st.solidifiedHead !== null
      ? Math.max(0, st.head - st.solidifiedHead)
      : DEFAULT_SOLIDITY_LAG;
  const required = lag + 1;
  return rows.map((d) => ({
    ...d,
    confirmations: st.head !== null ? Math.max(0, st.head - d.blockNumber + 1) : 0,
    requiredConfirmations: required,
  }));
}

/**
 * Scanner health: fails when it stopped on a chain problem, when it never ran (no deposit is
 * credited until it does), when the last
 * run is older than 5 minutes, or when it is further behind the head than the alert setting.
 */
const STALE_MS = 5 * 60_000;
registerHealthCheck({
  name: "scanner",
  timeoutMs: 3_000,
  run: async () => {
    const st = await scannerStatus();
    if (st.problem) throw new Error(`deposit scanner stopped: ${st.problem}`);
    if (!st.lastRunAt) throw new Error("never ran");
    const idle = Date.now() - st.lastRunAt.getTime();
    if (idle > STALE_MS) {
      throw new Error(
        `has not run for ${Math.floor(idle / 60_000)} min (last run ${st.lastRunAt.toISOString()})`,
      );
    }
    const { alerts } = await getSettings();
    if (st.lagBlocks !== null && st.lagBlocks > alerts.scannerLagBlocks) {
      throw new Error(`behind by ${st.lagBlocks} blocks`);
    }
    return st;
  },
});

export {
  COLLECT_MARKER,
  collectionDue,
  collectOnce,
  runScheduledCollection,
} from "./collect";
export { scanAccountsOnce } from "./accounts";

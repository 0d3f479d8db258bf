/**
 * The durable steps of reclaim-delegation (inngest/functions/reclaim-delegation), as plain
 * functions, and the expiry sweep's query. Same discipline as fulfilment: the signed undelegate tx
 * is stored before it is broadcast; a retry finds it.
 *
 * prepare (mark reclaiming, read the unlockable amount) → sign and store → broadcast → confirm →
 * finish (reclaimed; the order completed once none of its parts is still out).
 */
export { broadcastReclaim } from "./broadcast";
export { checkReclaim, finishReclaim, refreshWalletOfDelegation } from "./confirm";
export { delegationExpiredEvent, findDueDelegations } from "./due";
export { reclaimGiveUp, reclaimRetriesSpent } from "./failures";
export { MAX_RECLAIM_ROUNDS, NO_BANDWIDTH_RETRY_MS, RECLAIM_SLEEP_LIMIT_MS } from "./limits";
export { markGone, prepareReclaim, type ReclaimPrep } from "./prepare";
export { estimateMovedUsage, signReclaim } from "./sign";

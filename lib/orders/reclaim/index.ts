/**
 * The durable steps of reclaim-delegation (inngest/functions/reclaim-delegation), as plain
 * functions, and the expiry sweep's query. Same discipline as fulfilment: the signed undelegate tx
 * is stored before it is broadcast; a retry finds it.
 *
 * prepare (mark reclaiming, read the unlockable amount) → sign and store → broadcast → confirm →
 * finish (reclaimed; the order completed once none of its parts is still out).
 */
export { broadcastReclaim } from "./broadcast";
export { checkReclaim, refreshWalletOfDelegation } from "./confirm";
export { delegationExpiredEvent, findDueDelegations } from "./due";
export { reclaimGiveUp, reclaimRetriesSpent } from "./failures";
export { MAX_RECLAIM_ROUNDS, RECLAIM_SLEEP_LIMIT_MS } from "./limits";
export { markGone, prepareReclaim } from "./prepare";
export { signReclaim } from "./sign";

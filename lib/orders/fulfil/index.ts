/**
 * The durable steps of fulfil-order (inngest/functions/fulfil-order), as plain functions: each one
 * is one `step.run`. Every one is idempotent: it reads the database first and finds work already
 * done. Return values are JSON-safe (bigints as strings) because Inngest memoizes them.
 *
 * start → plan (size from the chain, pick wallets) → sign and store → broadcast → confirm (or
 * re-sign an expired tx) → finish (active, part-refunded, or failed and refunded).
 */
export { refreshWallets, walletsOfOrder } from "../parts";
export { broadcastPart } from "./broadcast";
export { checkPart, resignPart } from "./confirm";
export { finishOrder } from "./finish";
export { MAX_PLAN_ATTEMPTS, MAX_POLLS, MAX_RESIGNS, POLL_INTERVAL } from "./limits";
export type { PartState } from "./part-state";
export { planOrder } from "./plan";
export { signPart } from "./sign";
export { fulfilmentGaveUp, startFulfilment } from "./start";

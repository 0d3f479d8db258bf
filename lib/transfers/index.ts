/**
 * Pay by transfer (转账即租): send one of the listed TRX amounts to the platform's rental address
 * and the matching energy is delegated to the sending address. The scanner records the payments
 * (record.ts, hooked into lib/deposits/scanner.ts); process.ts acts on each exactly once; refund.ts
 * returns what cannot be delivered. Design notes: docs/transfers.md.
 */
export { rentalAddress } from "./address";
export { deskUserId, userOfAddress } from "./desk";
export { matchOffer, type TransferOffersView, transferOffersView } from "./offers";
export { type ActResult, actOnRentalTransfer, onTransferOrderChanged } from "./process";
export { countRentalTransfers, listRentalTransfers, rentalTransfersDue } from "./read";
export { announceRentalTransfers, recordRentalTransfers } from "./record";
export { broadcastRefund, checkRefund, type RefundState, signRefund } from "./refund";
export { watchHeadOnce } from "./watch";

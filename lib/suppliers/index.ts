/** Third-party suppliers (docs/suppliers.md): profiles and wallets, earnings per delivered delegation, payouts. */
export {
  earningKey,
  type EarningsResult,
  feeRefundKey,
  recordOwnerTxCost,
  settleSupplierEarnings,
  supplierShareOf,
} from "./earnings";
export {
  getSupplierProfile,
  listSuppliers,
  listSupplierWallets,
  ownershipMessage,
  registerSupplierWallet,
  saveSupplierProfile,
  setSupplierWalletCaps,
  type SupplierProfileInput,
  supplierWalletSetup,
} from "./profile";
export {
  announcePayouts,
  broadcastPayout,
  checkPayout,
  decidePayout,
  failPayout,
  listPayouts,
  type PayoutState,
  payoutKey,
  payoutReturnKey,
  requestPayout,
  signPayout,
  sweepPayouts,
  withdrawableSun,
} from "./payouts";
export { setSupplierAvailable } from "./availability";
export {
  isSupplier,
  type SupplierDashboard,
  type SupplierSummary,
  type SupplierWalletLine,
  supplierDashboard,
  supplierSummary,
} from "./read";

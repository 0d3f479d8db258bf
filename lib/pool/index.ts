/**
 * The supplier pool: wallets whose staked-for-energy TRX we delegate. Capacity comes from the chain
 * (`delegatable_sun` = getcandelegatedmaxsize at the last refresh) minus the in-flight reservations
 * recorded in `delegations`, computed under a row lock on the wallets so two concurrent plans never
 * book the same sun.
 */
export {
  getWallet,
  listWallets,
  type PoolWallet,
  poolCapacity,
  walletRows,
  walletSigner,
} from "./read";
export { operatorPaysFees, refreshAllWallets, refreshWallet, TX_BYTES } from "./refresh";
export {
  candidateTiers,
  type OrderTerms,
  planDelegation,
  priceMeetsMinimum,
  type SelectionRule,
  selectWallets,
  walletsLockedToReceiver,
} from "./select";
export { operatorAddress, setOperatorKey } from "./operator";
export {
  checkDailyCap,
  checkWalletPermission,
  type FeeShortage,
  feeShortages,
  listOwnerReclaims,
  markPermissionRevoked,
  nextUtcDay,
  permissionGate,
  permissionRefused,
  type PermissionSetup,
  permissionSetup,
  recordWalletTxCost,
  setWalletDailyCaps,
  walletCostSummary,
} from "./permission";
export {
  importPermissionWallet,
  importWallet,
  removeWallet,
  setWalletPriority,
  setWalletStatus,
} from "./wallets";

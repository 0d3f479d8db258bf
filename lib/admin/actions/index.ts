import {
  createAdminAction,
  resolveAlertAction,
  setAdminRoleAction,
  setAdminStatusAction,
  updateSettingsAction,
} from "./console";
import { rescanDepositsAction, restartScannerAction } from "./deposits";
import { cancelOrderAction, reclaimOrderAction, refundOrderAction, retryOrderAction } from "./orders";
import {
  importPermissionWalletAction,
  importWalletAction,
  reconcileNowAction,
  refreshWalletAction,
  removeWalletAction,
  setWalletCapsAction,
  setWalletPriorityAction,
  setWalletStatusAction,
} from "./pool";
import { decideSupplierPayoutAction } from "./suppliers";
import { adjustBalanceAction, setUserStatusAction } from "./users";

/**
 * Every mutating admin action, one module per area of the console (./define says how an action is
 * made: permission first, then the input, then one lib/ function).
 */
export type { AdminAction } from "./define";
export {
  adjustBalanceAction,
  decideSupplierPayoutAction,
  cancelOrderAction,
  refundOrderAction,
  rescanDepositsAction,
  restartScannerAction,
  setAdminRoleAction,
  setAdminStatusAction,
  updateSettingsAction,
};

/** Every action, for the permission matrix test and for routes that dispatch by name. */
export const adminActions = {
  retryOrder: retryOrderAction,
  refundOrder: refundOrderAction,
  cancelOrder: cancelOrderAction,
  reclaimOrder: reclaimOrderAction,
  importWallet: importWalletAction,
  setWalletStatus: setWalletStatusAction,
  setWalletPriority: setWalletPriorityAction,
  refreshWallet: refreshWalletAction,
  reconcileNow: reconcileNowAction,
  removeWallet: removeWalletAction,
  adjustBalance: adjustBalanceAction,
  setUserStatus: setUserStatusAction,
  updateSettings: updateSettingsAction,
  resolveAlert: resolveAlertAction,
  createAdmin: createAdminAction,
  setAdminRole: setAdminRoleAction,
  setAdminStatus: setAdminStatusAction,
  rescanDeposits: rescanDepositsAction,
  restartScanner: restartScannerAction,
  importPermissionWallet: importPermissionWalletAction,
  setWalletCaps: setWalletCapsAction,
  decideSupplierPayout: decideSupplierPayoutAction,
} as const;

/** Third-party suppliers (docs/suppliers.md): profiles and wallets, earnings per delivered delegation, payouts. */
export { earningKey, type EarningsResult, settleSupplierEarnings, supplierShareOf } from "./earnings";
export {
  getSupplierProfile,
  listSuppliers,
  listSupplierWallets,
  ownershipMessage,
  registerSupplierWallet,
  saveSupplierProfile,
  type SupplierProfileInput,
  supplierWalletSetup,
} from "./profile";

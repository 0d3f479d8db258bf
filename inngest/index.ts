import { inngest } from "./client";
import { adminFunctions } from "./functions/admin";
import { apiFunctions } from "./functions/api";
import { botFunctions } from "./functions/bot";
import { depositFunctions } from "./functions/deposits";
import { orderFunctions } from "./functions/orders";
import { transferFunctions } from "./functions/rental-transfers";
import { referralCommission } from "./functions/referral-commission";
import { supplierEarningsFn } from "./functions/supplier-earnings";
import { supplierPayoutFunctions } from "./functions/supplier-payouts";
import { watchFunctions } from "./functions/watch";

/** Every Inngest function the app serves at /api/inngest. */
export const functions = [
  ...orderFunctions,
  ...depositFunctions,
  ...botFunctions,
  ...adminFunctions,
  ...apiFunctions,
  ...transferFunctions,
  referralCommission,
  supplierEarningsFn,
  ...supplierPayoutFunctions,
  ...watchFunctions,
];

export { inngest };

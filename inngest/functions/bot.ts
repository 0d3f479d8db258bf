import { botBatchCard } from "./bot-batch-card";
import { botDepositNotice } from "./bot-deposit-notice";
import { botLookup } from "./bot-lookup";
import { botOrderCard } from "./bot-order-card";
import { botPackageNotice } from "./bot-package-notice";
import { botSubscriptionNotice } from "./bot-subscription-notice";

/** Inngest functions of the bot domain (one per file beside this one). */
export const botFunctions = [
  botLookup,
  botOrderCard,
  botDepositNotice,
  botSubscriptionNotice,
  botBatchCard,
  botPackageNotice,
];

export { botBatchCard, botDepositNotice, botOrderCard };

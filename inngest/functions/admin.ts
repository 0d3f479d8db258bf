import { evaluateAlerts } from "./evaluate-alerts";
import { rollUpLedgerDaily } from "./roll-up-ledger";

/** Inngest functions of the admin domain (one per file beside this one). */
export const adminFunctions = [evaluateAlerts, rollUpLedgerDaily];

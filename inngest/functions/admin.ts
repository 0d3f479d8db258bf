import { evaluateAlerts } from "./evaluate-alerts";

/** Inngest functions of the admin domain (one per file beside this one). */
export const adminFunctions = [evaluateAlerts];

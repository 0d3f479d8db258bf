import { collectDeposits } from "./collect-deposits";
import { rescanDeposits } from "./rescan-deposits";
import { scanDeposits } from "./scan-deposits";

/** Deposit functions served at /api/inngest (one function per file). */
export const depositFunctions = [scanDeposits, collectDeposits, rescanDeposits];

import { fulfilOrder } from "./fulfil-order";
import { reclaimDelegation } from "./reclaim-delegation";
import { reconcileChainFunction } from "./reconcile-chain";
import { refreshPool } from "./refresh-pool";
import { resumeBatches } from "./resume-batches";
import { safetySweep } from "./safety-sweep";
import { sweepExpired } from "./sweep-expired";

/** The order engine's Inngest functions (one per file). */
export const orderFunctions = [
  fulfilOrder,
  reclaimDelegation,
  sweepExpired,
  safetySweep,
  refreshPool,
  reconcileChainFunction,
  resumeBatches,
];

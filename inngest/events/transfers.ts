import { eventType } from "inngest";
import { z } from "zod";

/**
 * A payment to the rental address needs acting on (pay by transfer): seen in a head block, its block
 * solidified, its order settled, or re-sent by the sweep. Acting is idempotent: every send under any
 * id finds the row's state and does only what is left. Ids: `rental-transfer-<id>-<phase>`.
 */
export const rentalTransferReceived = eventType("rental-transfer/received", {
  schema: z.object({ transferId: z.number().int().positive() }),
});

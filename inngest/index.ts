import { inngest } from "./client";
import { depositFunctions } from "./functions/deposits";
import { orderFunctions } from "./functions/orders";

/** Every Inngest function the app serves at /api/inngest. */
export const functions = [...orderFunctions, ...depositFunctions];

export { inngest };

import { deliverCallback } from "./deliver-callback";
import { orderCallback } from "./order-callback";

/** Inngest functions of the api domain (one per file beside this one). */
export const apiFunctions = [orderCallback, deliverCallback];

export { orderCallback };

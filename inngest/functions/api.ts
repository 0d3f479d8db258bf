import { deliverCallback } from "./deliver-callback";

/** Inngest functions of the api domain (one per file beside this one). */
export const apiFunctions = [deliverCallback];

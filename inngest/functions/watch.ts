import { checkWatched } from "./check-watched";

/** Inngest functions of the watch domain (watched addresses, keep-energy subscriptions). */
export const watchFunctions = [checkWatched];

export { checkWatched };

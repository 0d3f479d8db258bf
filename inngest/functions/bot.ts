import { botLookup } from "./bot-lookup";

/** Inngest functions of the bot domain (one per file beside this one). */
export const botFunctions = [botLookup];

export { botLookup };

/** Inngest functions of the bot domain (one per file beside this one). */
export const botFunctions: never[] = [];

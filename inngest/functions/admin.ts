/** Inngest functions of the admin domain (one per file beside this one). */
export const adminFunctions: never[] = [];

/** Inngest functions of the api domain (one per file beside this one). */
export const apiFunctions: never[] = [];

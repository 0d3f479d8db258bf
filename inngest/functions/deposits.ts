export const depositFunctions: never[] = [];

export const orderFunctions: never[] = [];

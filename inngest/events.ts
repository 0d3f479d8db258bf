/**
 * Every event, typed with zod, past-tense `domain/noun.verb` names. One file per domain beside this
 * one; this module re-exports them all. The app builds every event it sends with the definition's
 * `create(data, { id })`, never as a literal object.
 */
export * from "./events/bot";
export * from "./events/deposits";
export * from "./events/orders";
export * from "./events/api";
export * from "./events/admin";
export * from "./events/transfers";
export * from "./events/watch";
export * from "./events/suppliers";

import { SharedLimiter } from "./rate-limit";

/**
 * The portal's and the admin console's limits (the reseller API's are in lib/api/rate-limit), all
 * in the shared store.
 */

/** Live address reads while a user types in the portal (each costs a TRON provider request). */
export const addressLookupLimiter = new SharedLimiter("portal-address", 60);
export const ADDRESS_LOOKUPS_PER_MINUTE = 60;

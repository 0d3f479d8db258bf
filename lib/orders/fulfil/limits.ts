/** How hard fulfil-order tries: plan rounds, re-signs of an expired tx, confirmation polls. */
export const MAX_PLAN_ATTEMPTS = 3;
export const MAX_RESIGNS = 3;
export const MAX_POLLS = 60;
export const POLL_INTERVAL = "3s";

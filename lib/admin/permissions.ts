import type { AdminRole } from "@/db/schema";

/**
 * Who may do what in the admin console, as data. Every admin page, server action and route checks
 * one of these keys on the server (`authorize` / `requireAdmin`); hiding a button is never the check.
 */
export const ROLES = ["owner", "operator", "viewer"] as const satisfies readonly AdminRole[];

const ALL = ["owner", "operator", "viewer"] as const;
const STAFF = ["owner", "operator"] as const;
const OWNER = ["owner"] as const;

export const permissions = {
  "dashboard.read": ALL,
  "orders.read": ALL,
  "orders.retry": STAFF,
  "orders.refund": STAFF,
  "orders.cancel": STAFF,
  "orders.reclaim": STAFF,
  "pool.read": ALL,
  "pool.import": OWNER,
  "pool.update": STAFF,
  "pool.refresh": STAFF,
  "pool.remove": OWNER,
  "users.read": ALL,
  /** Keep-energy subscriptions (watched addresses). */
  "subscriptions.read": ALL,
  /** Per-transfer packages and their margin. */
  "packages.read": ALL,
  "users.adjust": OWNER,
  /** Third-party suppliers' payouts: approve (TRX leaves the platform) or reject (returned to their balance). */
  "suppliers.payouts": OWNER,
  "users.ban": STAFF,
  /** Rescan a block range for one user's deposit address (credits exactly once). */
  "deposits.rescan": STAFF,
  /** Restart the deposit scanner at a block (after the chain went backwards under it). */
  "deposits.scanner": OWNER,
  "settings.read": ALL,
  "settings.update": OWNER,
  "finance.read": ALL,
  "finance.export": ALL,
  "alerts.read": ALL,
  "alerts.resolve": STAFF,
  "audit.read": OWNER,
  "admins.manage": OWNER,
  /** One's own password and second factor. */
  "self.update": ALL,
} as const satisfies Record<string, readonly AdminRole[]>;

export type Permission = keyof typeof permissions;

export const PERMISSIONS = Object.keys(permissions) as Permission[];

export function can(role: AdminRole, permission: Permission): boolean {
  return (permissions[permission] as readonly AdminRole[]).includes(role);
}

import Link from "next/link";
import { redirect } from "next/navigation";
import { getAdminContext } from "@/lib/admin/guard";
import { can, type Permission } from "@/lib/admin/permissions";
import type { AdminKey } from "@/lib/i18n";
import { signOutAction } from "../actions";
import { getAdminT } from "../_components/i18n";

export const dynamic = "force-dynamic";

const NAV: [string, AdminKey, Permission][] = [
  ["/admin", "admin-nav-dashboard", "dashboard.read"],
  ["/admin/orders", "admin-nav-orders", "orders.read"],
  ["/admin/batches", "admin-nav-batches", "orders.read"],
  ["/admin/pool", "admin-nav-pool", "pool.read"],
  ["/admin/reconcile", "admin-nav-reconcile", "pool.read"],
  ["/admin/transfers", "admin-nav-transfers", "orders.read"],
  ["/admin/users", "admin-nav-users", "users.read"],
  ["/admin/subscriptions", "admin-nav-subscriptions", "subscriptions.read"],
  ["/admin/packages", "admin-nav-packages", "packages.read"],
  ["/admin/settings", "admin-nav-settings", "settings.read"],
  ["/admin/settings/simulate", "admin-nav-pricingSimulation", "settings.read"],
  ["/admin/finance", "admin-nav-finance", "finance.read"],
  ["/admin/referrals", "admin-nav-referrals", "finance.read"],
  ["/admin/suppliers", "admin-nav-suppliers", "finance.read"],
  ["/admin/alerts", "admin-nav-alerts", "alerts.read"],
  ["/admin/audit", "admin-nav-audit", "audit.read"],
  ["/admin/admins", "admin-nav-admins", "admins.manage"],
  ["/admin/account", "admin-nav-account", "self.update"],
];

/** Console chrome. Each page still calls requireAdminPage(permission) itself: the nav is not a check. */
export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const ctx = await getAdminContext();
  if (!ctx) redirect("/admin/sign-in");
  const { t } = await getAdminT();
  return (
    <div className="flex min-h-screen">
      <nav className="w-52 shrink-0 border-r border-slate-200 bg-white p-3 text-sm">
        <div className="mb-4 font-semibold text-brand-700">⚡ {t("admin-title")}</div>
        <ul className="flex flex-col gap-1">
          {NAV.filter(([, , p]) => can(ctx.admin.role, p)).map(([href, key]) => (
            <li key={href}>
              <Link href={href} className="block rounded px-2 py-1 hover:bg-slate-100">
                {t(key)}
              </Link>
            </li>
          ))}
        </ul>
        <div className="mt-6 border-t border-slate-200 pt-3 text-xs text-slate-500">
          <div data-testid="whoami">{ctx.admin.email}</div>
          <div>{ctx.admin.role}</div>
          <form action={signOutAction} className="mt-2">
            <button type="submit" className="text-slate-700 underline">
              {t("admin-signOut")}
            </button>
          </form>
        </div>
      </nav>
      <main className="flex-1 space-y-4 p-6">{children}</main>
    </div>
  );
}

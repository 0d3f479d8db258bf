"use client";

import {
  BatteryCharging,
  CircleUser,
  House,
  ListOrdered,
  Package,
  Wallet,
  WalletCards,
  Zap,
} from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";

type Item = {
  href: string;
  label: string;
  icon: "home" | "rent" | "orders" | "topup" | "wallets" | "keep" | "packages" | "account";
};

const ICONS = {
  home: House,
  rent: Zap,
  orders: ListOrdered,
  topup: Wallet,
  wallets: WalletCards,
  keep: BatteryCharging,
  packages: Package,
  account: CircleUser,
};

const isActive = (pathname: string, href: string) => pathname === href || pathname.startsWith(`${href}/`);

/** Desktop: links in the header. Mobile: the bottom bar Home · Rent · Orders · Top up. */
export function PortalNav({ items, label }: { items: Item[]; label: string }) {
  const pathname = usePathname();
  return (
    <>
      <nav aria-label={label} className="hidden md:block">
        <ul className="flex items-center gap-1">
          {items.map((it) => (
            <li key={it.href}>
              <Link
                href={it.href}
                aria-current={isActive(pathname, it.href) ? "page" : undefined}
                className="inline-flex min-h-11 items-center rounded-md px-3 text-sm text-slate-700 hover:bg-slate-100 aria-[current=page]:bg-brand-50 aria-[current=page]:font-semibold aria-[current=page]:text-brand-700"
              >
                {it.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <nav
        aria-label={label}
        data-portal-chrome
        className="fixed inset-x-0 bottom-0 z-30 border-t border-slate-200 bg-white pb-[env(safe-area-inset-bottom)] md:hidden"
      >
        <ul className="grid grid-cols-4">
          {items.slice(0, 4).map((it) => {
            const Icon = ICONS[it.icon];
            return (
              <li key={it.href}>
                <Link
                  href={it.href}
                  aria-current={isActive(pathname, it.href) ? "page" : undefined}
                  className="flex min-h-14 flex-col items-center justify-center gap-0.5 text-xs text-slate-600 aria-[current=page]:font-semibold aria-[current=page]:text-brand-700"
                >
                  <Icon className="size-5" aria-hidden />
                  {it.label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
    </>
  );
}

/** Mobile header shortcuts to the pages that are not in the bottom bar. */
export function MobileShortcuts({ items }: { items: Item[] }) {
  const pathname = usePathname();
  return (
    <ul className="flex items-center md:hidden">
      {items.slice(4).map((it) => {
        const Icon = ICONS[it.icon];
        return (
          <li key={it.href}>
            <Link
              href={it.href}
              aria-label={it.label}
              title={it.label}
              aria-current={isActive(pathname, it.href) ? "page" : undefined}
              className="inline-flex size-11 items-center justify-center rounded-md text-slate-600 hover:bg-slate-100 aria-[current=page]:text-brand-700"
            >
              <Icon className="size-5" aria-hidden />
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

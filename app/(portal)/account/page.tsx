import { KeyRound, LogOut, Users, Zap } from "lucide-react";
import Link from "next/link";
import { PortalLanguageSwitch } from "@/app/_components/portal-language-switch";
import { signOutAction } from "../actions";
import { portalContext } from "../_lib/context";
import { Button } from "@/components/ui/button";

export const dynamic = "force-dynamic";

export default async function AccountPage() {
  const { user, t, locale } = await portalContext();
  const name = user.username ? `@${user.username}` : (user.firstName ?? `#${user.id}`);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">{t("account-title")}</h1>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-3 rounded-lg border border-slate-200 bg-(--p-card) p-4 text-sm">
        <dt className="text-slate-500">{t("account-userId")}</dt>
        <dd className="tabular-nums">{user.id}</dd>
        <dt className="text-slate-500">{t("account-telegram")}</dt>
        <dd>{user.telegramId ? t("account-telegramLinked", { name }) : t("account-telegramNone")}</dd>
        <dt className="self-center text-slate-500">{t("account-language")}</dt>
        <dd>
          <PortalLanguageSwitch locale={locale} t={t} />
        </dd>
      </dl>
      <Link
        href="/account/invite"
        className="inline-flex min-h-11 items-center gap-2 font-medium underline"
        data-testid="account-invite"
      >
        <Users className="size-4" aria-hidden />
        {t("account-invite")}
      </Link>
      <Link
        href="/account/supplier"
        className="inline-flex min-h-11 items-center gap-2 font-medium underline"
        data-testid="account-supplier"
      >
        <Zap className="size-4" aria-hidden />
        {t("account-supplier")}
      </Link>
      <section className="space-y-2">
        <h2 className="text-lg font-semibold">{t("account-developers")}</h2>
        <ul className="space-y-1 text-sm">
          <li>
            <Link href="/account/api-keys" className="inline-flex min-h-11 items-center gap-2 underline">
              <KeyRound className="size-4" aria-hidden />
              {t("account-apiKeys")}
            </Link>
          </li>
          <li>
            <Link href="/docs/api" className="inline-flex min-h-11 items-center underline">
              {t("account-apiDocs")}
            </Link>
          </li>
        </ul>
      </section>
      <form action={signOutAction} data-mini-hide>
        <Button type="submit" variant="outline" className="gap-2 font-medium">
          <LogOut className="size-4" aria-hidden />
          {t("account-signOut")}
        </Button>
      </form>
    </div>
  );
}

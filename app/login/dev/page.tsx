import Link from "next/link";
import { notFound } from "next/navigation";
import { devSignInEnabled } from "@/lib/auth/dev-login";
import { getRequestLocale } from "@/lib/i18n/server";
import { DevSignInForm } from "./dev-form";

export const dynamic = "force-dynamic";

/** Development sign-in (devnet, NODE_ENV not production): a test user by name, no Telegram needed. */
export default async function DevLoginPage() {
  if (!devSignInEnabled()) notFound();
  const { t } = await getRequestLocale();
  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-bold">{t("login-dev-title")}</h1>
      <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-950">
        {t("login-dev-body")}
      </p>
      <DevSignInForm />
      <Link href="/login" className="inline-flex min-h-11 items-center text-sm text-(--p-link) underline">
        {t("login-title")}
      </Link>
    </div>
  );
}

import { redirect } from "next/navigation";
import { firstSignInPending } from "@/lib/admin/first-owner";
import { getAdminContext } from "@/lib/admin/guard";
import { getAdminT } from "../_components/i18n";
import { SignInForm } from "../_components/sign-in-form";

export const dynamic = "force-dynamic";

export default async function AdminSignInPage() {
  if (await getAdminContext()) redirect("/admin");
  const { t } = await getAdminT();
  const firstStart = await firstSignInPending();
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-sm space-y-4">
        <div className="text-center font-semibold text-brand-700">⚡ {t("admin-title")}</div>
        <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <h1 className="mb-4 text-lg font-semibold">{t("admin-signIn-title")}</h1>
          <SignInForm
            labels={{
              email: t("admin-signIn-email"),
              password: t("admin-signIn-password"),
              totp: t("admin-signIn-totp"),
              totpNeeded: t("admin-signIn-totpNeeded"),
              submit: t("admin-signIn-submit"),
            }}
          />
        </div>
        {firstStart && (
          <div
            className="space-y-2 rounded-lg border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900"
            data-testid="first-start-hint"
          >
            <p>{t("admin-signIn-firstStart")}</p>
            <p className="text-xs">{t("admin-signIn-lost")}</p>
          </div>
        )}
      </div>
    </main>
  );
}

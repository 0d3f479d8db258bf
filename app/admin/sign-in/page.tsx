import { redirect } from "next/navigation";
import { getAdminContext } from "@/lib/admin/guard";
import { getAdminT } from "../_components/i18n";
import { SignInForm } from "../_components/sign-in-form";

export const dynamic = "force-dynamic";

export default async function AdminSignInPage() {
  if (await getAdminContext()) redirect("/admin");
  const { t } = await getAdminT();
  return (
    <main className="mx-auto mt-24 max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="mb-4 text-lg font-semibold">{t("admin.signIn.title")}</h1>
      <SignInForm
        labels={{
          email: t("admin.signIn.email"),
          password: t("admin.signIn.password"),
          totp: t("admin.signIn.totp"),
          totpNeeded: t("admin.signIn.totpNeeded"),
          submit: t("admin.signIn.submit"),
        }}
      />
    </main>
  );
}

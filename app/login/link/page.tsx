import { getRequestLocale } from "@/lib/i18n/server";
import { LinkSignInForm } from "./link-form";
import { BackHomeLink } from "../back-home";

export const dynamic = "force-dynamic";

export default async function LoginLinkPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const sp = await searchParams;
  const token = typeof sp.token === "string" ? sp.token : "";
  const { t } = await getRequestLocale();
  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-bold">{t("login-link-title")}</h1>
      {token ? (
        <>
          <p className="text-sm text-slate-600">{t("login-link-body", { app: t("app-name") })}</p>
          <LinkSignInForm token={token} />
        </>
      ) : (
        <p
          role="alert"
          className="rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-900"
        >
          {t("login-link-missing")}
        </p>
      )}
      <BackHomeLink t={t} />
    </div>
  );
}

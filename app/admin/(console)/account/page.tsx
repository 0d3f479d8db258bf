import QRCode from "qrcode";
import { newTotpSetup } from "@/lib/admin/auth";
import { requireAdminPage } from "@/lib/admin/guard";
import { changePasswordAction, disableTotpAction, enableTotpAction } from "../../actions";
import { ActionForm, Field } from "../../_components/action-form";
import { getAdminT } from "../../_components/i18n";
import { Card } from "../../_components/ui";

export const dynamic = "force-dynamic";

export default async function AccountPage({ searchParams }: { searchParams: Promise<{ first?: string }> }) {
  const ctx = await requireAdminPage("self.update");
  const { t } = await getAdminT();
  const { first } = await searchParams;
  const setup = ctx.admin.totpEnabled ? null : newTotpSetup(ctx.admin.email);
  const qr = setup ? await QRCode.toDataURL(setup.uri, { margin: 1, width: 180 }) : null;
  return (
    <>
      <h1 className="text-xl font-semibold">{t("admin-nav-account")}</h1>
      {(first || ctx.admin.mustChangePassword) && (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800">{t("admin-account-first")}</p>
      )}
      <Card title={t("admin-account-password")}>
        <ActionForm action={changePasswordAction} submit={t("admin-save")} testId="password-form">
          <Field label={t("admin-account-current")} name="current" type="password" required />
          <Field label={t("admin-account-new")} name="next" type="password" required />
        </ActionForm>
      </Card>
      {!ctx.admin.mustChangePassword && (
        <Card title={t("admin-account-totp")}>
          {ctx.admin.totpEnabled ? (
            <>
              <p className="mb-2 text-sm">{t("admin-account-totpOn")}</p>
              <ActionForm action={disableTotpAction} submit={t("admin-account-totpDisable")} danger>
                <Field label={t("admin-signIn-totp")} name="code" required width="w-32" />
              </ActionForm>
            </>
          ) : (
            setup &&
            qr && (
              <div className="flex flex-col gap-2">
                {/* biome-ignore lint/performance/noImgElement: a data: URL QR code */}
                <img src={qr} alt={t("admin-account-totpQr")} width={180} height={180} />
                <code className="text-xs">{setup.secret}</code>
                <ActionForm
                  action={enableTotpAction}
                  hidden={{ secret: setup.secret }}
                  submit={t("admin-account-totpEnable")}
                >
                  <Field label={t("admin-signIn-totp")} name="code" required width="w-32" />
                </ActionForm>
              </div>
            )
          )}
        </Card>
      )}
    </>
  );
}

import { requireAdminPage } from "@/lib/admin/guard";
import { listAdmins } from "@/lib/admin/queries";
import { ROLES } from "@/lib/admin/permissions";
import { createAdminFormAction, setAdminRoleFormAction, setAdminStatusFormAction } from "../../actions";
import { ActionForm, Field } from "../../_components/action-form";
import { getAdminT } from "../../_components/i18n";
import { Card, Table, Td } from "../../_components/ui";

export const dynamic = "force-dynamic";

const selectClass = "rounded-md border border-slate-300 px-2 py-1.5 text-sm";

export default async function AdminsPage() {
  const ctx = await requireAdminPage("admins.manage");
  const { t, when } = await getAdminT();
  const rows = await listAdmins();
  return (
    <>
      <h1 className="text-xl font-semibold">{t("admin-nav-admins")}</h1>
      <Card>
        <Table
          head={[
            "#",
            t("admin-col-email"),
            t("admin-col-role"),
            "2FA",
            t("admin-col-lastSignIn"),
            t("admin-col-lockedUntil"),
            t("admin-col-disabled"),
            t("admin-admins-actions"),
          ]}
        >
          {rows.map((a) => (
            <tr key={a.id} data-testid="admin-row">
              <Td>{a.id}</Td>
              <Td>
                {a.email}
                {a.id === ctx.admin.id && (
                  <span className="ml-1 text-xs text-slate-500">({t("admin-admins-you")})</span>
                )}
              </Td>
              <Td>{a.role}</Td>
              <Td>{a.totp ? "✓" : ""}</Td>
              <Td mono>{when(a.lastLoginAt)}</Td>
              <Td mono>{when(a.lockedUntil)}</Td>
              <Td mono>{when(a.disabledAt)}</Td>
              <Td>
                {/* The server refuses changes to oneself and to the last active owner; no controls on one's own row. */}
                {a.id !== ctx.admin.id && (
                  <div className="flex flex-col gap-1">
                    <ActionForm
                      action={setAdminRoleFormAction}
                      hidden={{ adminId: a.id }}
                      submit={t("admin-admins-changeRole")}
                    >
                      <select
                        name="role"
                        defaultValue={a.role}
                        className={selectClass}
                        aria-label={t("admin-admins-role")}
                      >
                        {ROLES.map((r) => (
                          <option key={r}>{r}</option>
                        ))}
                      </select>
                    </ActionForm>
                    <ActionForm
                      action={setAdminStatusFormAction}
                      hidden={{ adminId: a.id, status: a.disabledAt ? "active" : "disabled" }}
                      submit={a.disabledAt ? t("admin-admins-enable") : t("admin-admins-disable")}
                      danger={!a.disabledAt}
                      confirm={a.disabledAt ? undefined : t("admin-admins-disableConfirm")}
                    />
                  </div>
                )}
              </Td>
            </tr>
          ))}
        </Table>
      </Card>
      <Card title={t("admin-admins-create")}>
        <ActionForm action={createAdminFormAction} submit={t("admin-admins-create")}>
          <Field label={t("admin-signIn-email")} name="email" type="email" required width="w-72" />
          <label className="flex flex-col gap-1 text-xs text-slate-600">
            {t("admin-admins-role")}
            <select name="role" className={selectClass}>
              <option>viewer</option>
              <option>operator</option>
              <option>owner</option>
            </select>
          </label>
        </ActionForm>
      </Card>
    </>
  );
}

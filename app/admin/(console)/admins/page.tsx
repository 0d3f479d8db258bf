import { requireAdminPage } from "@/lib/admin/guard";
import { Field } from "@/components/ui/field";
import { Select } from "@/components/ui/input";
import { listAdmins } from "@/lib/admin/queries";
import { ROLES } from "@/lib/admin/permissions";
import { createAdminFormAction, setAdminRoleFormAction, setAdminStatusFormAction } from "../../actions";
import { ActionForm, Field as AdminField } from "../../_components/action-form";
import { getAdminT } from "../../_components/i18n";
import { Card, Table, Td } from "../../_components/ui";

export const dynamic = "force-dynamic";

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
            "email",
            "role",
            "2FA",
            "last sign-in",
            "locked until",
            "disabled",
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
                      <Select size="sm" name="role" defaultValue={a.role} aria-label={t("admin-admins-role")}>
                        {ROLES.map((r) => (
                          <option key={r}>{r}</option>
                        ))}
                      </Select>
                    </ActionForm>
                    <ActionForm
                      action={setAdminStatusFormAction}
                      hidden={{ adminId: a.id, status: a.disabledAt ? "active" : "disabled" }}
                      submit={a.disabledAt ? t("admin-admins-enable") : t("admin-admins-disable")}
                      danger={!a.disabledAt}
                      confirm={
                        a.disabledAt
                          ? undefined
                          : { question: t("admin-admins-disableConfirm"), cancel: t("admin-confirm-cancel") }
                      }
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
          <AdminField label={t("admin-signIn-email")} name="email" type="email" required width="w-72" />
          <Field label={t("admin-admins-role")} size="sm">
            {(p) => (
              <Select {...p} size="sm" name="role">
                <option>viewer</option>
                <option>operator</option>
                <option>owner</option>
              </Select>
            )}
          </Field>
        </ActionForm>
      </Card>
    </>
  );
}

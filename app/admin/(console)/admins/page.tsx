import { requireAdminPage } from "@/lib/admin/guard";
import { listAdmins } from "@/lib/admin/queries";
import { createAdminFormAction } from "../../actions";
import { ActionForm, Field } from "../../_components/action-form";
import { getAdminT } from "../../_components/i18n";
import { Card, Table, Td, when } from "../../_components/ui";

export const dynamic = "force-dynamic";

export default async function AdminsPage() {
  await requireAdminPage("admins.manage");
  const { t } = await getAdminT();
  const rows = await listAdmins();
  return (
    <>
      <h1 className="text-xl font-semibold">{t("admin.nav.admins")}</h1>
      <Card>
        <Table head={["#", "email", "role", "2FA", "last sign-in", "locked until", "disabled"]}>
          {rows.map((a) => (
            <tr key={a.id}>
              <Td>{a.id}</Td>
              <Td>{a.email}</Td>
              <Td>{a.role}</Td>
              <Td>{a.totp ? "✓" : ""}</Td>
              <Td mono>{when(a.lastLoginAt)}</Td>
              <Td mono>{when(a.lockedUntil)}</Td>
              <Td mono>{when(a.disabledAt)}</Td>
            </tr>
          ))}
        </Table>
      </Card>
      <Card title={t("admin.admins.create")}>
        <ActionForm action={createAdminFormAction} submit={t("admin.admins.create")}>
          <Field label={t("admin.signIn.email")} name="email" type="email" required width="w-72" />
          <label className="flex flex-col gap-1 text-xs text-slate-600">
            {t("admin.admins.role")}
            <select name="role" className="rounded-md border border-slate-300 px-2 py-1.5 text-sm">
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

import { requireAdminPage } from "@/lib/admin/guard";
import { listAudit } from "@/lib/admin/queries";
import { getAdminT } from "../../_components/i18n";
import { Card, Table, Td } from "../../_components/ui";

export const dynamic = "force-dynamic";

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<{ before?: string; action?: string }>;
}) {
  await requireAdminPage("audit.read");
  const { t, when } = await getAdminT();
  const sp = await searchParams;
  const before = sp.before && /^\d{1,15}$/.test(sp.before) ? Number(sp.before) : undefined;
  const action = sp.action && /^[a-z_.]{1,60}$/.test(sp.action) ? sp.action : undefined;
  const rows = await listAudit({ beforeId: before, action, limit: 100 });
  return (
    <>
      <h1 className="text-xl font-semibold">{t("admin-nav-audit")}</h1>
      <Card>
        <Table
          head={[
            "#",
            t("admin-col-time"),
            t("admin-col-who"),
            t("admin-col-action"),
            t("admin-col-target"),
            t("admin-col-before"),
            t("admin-col-after"),
            "IP",
          ]}
        >
          {rows.map((a) => (
            <tr key={a.id} data-testid="audit-row">
              <Td>{a.id}</Td>
              <Td mono>{when(a.createdAt)}</Td>
              <Td>{a.adminEmail ?? t("admin-audit-system")}</Td>
              <Td>{a.action}</Td>
              <Td mono>{a.targetType ? `${a.targetType}:${a.targetId}` : "—"}</Td>
              <Td mono>{a.before ? JSON.stringify(a.before) : ""}</Td>
              <Td mono>{a.after ? JSON.stringify(a.after) : ""}</Td>
              <Td mono>{a.ip ?? ""}</Td>
            </tr>
          ))}
        </Table>
        {rows.length === 100 && (
          <a
            className="mt-2 inline-block text-sm underline"
            href={`/admin/audit?before=${rows[rows.length - 1].id}`}
          >
            {t("admin-next")}
          </a>
        )}
      </Card>
    </>
  );
}

import { formatInteger } from "@/lib/format";
import { requireAdminPage } from "@/lib/admin/guard";
import { can } from "@/lib/admin/permissions";
import { listAlerts } from "@/lib/alerts";
import { resolveAlertFormAction } from "../../actions";
import { ActionForm } from "../../_components/action-form";
import { getAdminT } from "../../_components/i18n";
import { Card, Table, Td } from "../../_components/ui";

export const dynamic = "force-dynamic";

export default async function AlertsPage() {
  const ctx = await requireAdminPage("alerts.read");
  const { t, when } = await getAdminT();
  const [open, resolved] = await Promise.all([
    listAlerts({ status: "open" }),
    listAlerts({ status: "resolved", limit: 50 }),
  ]);
  const canResolve = can(ctx.admin.role, "alerts.resolve");
  const rows = (list: typeof open, withAction: boolean) =>
    list.map((a) => (
      <tr key={a.id} data-testid="alert-row">
        <Td>{a.severity}</Td>
        <Td>{a.rule}</Td>
        <Td>{a.message}</Td>
        <Td>{a.occurrences}</Td>
        <Td mono>{when(a.firstSeenAt)}</Td>
        <Td mono>{when(a.lastSeenAt)}</Td>
        <Td mono>{when(a.resolvedAt ?? a.notifiedAt)}</Td>
        <Td>
          {withAction && canResolve && (
            <ActionForm
              action={resolveAlertFormAction}
              hidden={{ dedupeKey: a.dedupeKey }}
              submit={t("admin-alerts-resolve")}
            />
          )}
        </Td>
      </tr>
    ));
  const head = [
    t("admin-col-severity"),
    t("admin-col-rule"),
    t("admin-col-message"),
    "×",
    t("admin-col-first"),
    t("admin-col-last"),
    t("admin-col-notifiedResolved"),
    "",
  ];
  return (
    <>
      <h1 className="text-xl font-semibold">{t("admin-nav-alerts")}</h1>
      <Card title={t("admin-alerts-open", { n: formatInteger(open.length) })}>
        <Table head={head}>{rows(open, true)}</Table>
      </Card>
      <Card title={t("admin-alerts-resolved")}>
        <Table head={head}>{rows(resolved, false)}</Table>
      </Card>
    </>
  );
}

import Link from "next/link";
import { Button } from "@/components/ui/button";
import { subscriptionStatus } from "@/db/schema";
import { requireAdminPage } from "@/lib/admin/guard";
import { adminListSubscriptions } from "@/lib/admin/subscriptions";
import { int, shortAddress, trx } from "@/lib/format";
import { getAdminT } from "../../_components/i18n";
import { Card, Stat, Table, Td } from "../../_components/ui";

export const dynamic = "force-dynamic";

/** Keep-energy subscriptions: who watches which address, its spend against budget, its last chain read. */
export default async function SubscriptionsPage({
  searchParams,
}: {
  searchParams: Promise<{ status?: string }>;
}) {
  const ctx = await requireAdminPage("subscriptions.read");
  const { t, when } = await getAdminT();
  const { status } = await searchParams;
  const known = (subscriptionStatus.enumValues as readonly string[]).includes(status ?? "")
    ? status
    : undefined;
  const { rows, totals } = await adminListSubscriptions(ctx, { status: known, limit: 200 });
  return (
    <>
      <h1 className="text-xl font-semibold">{t("admin-nav-subscriptions")}</h1>
      <Card>
        <form method="get" className="flex items-end gap-2">
          <select
            name="status"
            defaultValue={known ?? ""}
            aria-label={t("admin-subs-status")}
            className="rounded border px-2 py-1 text-sm"
          >
            <option value="">{t("admin-subs-all")}</option>
            {subscriptionStatus.enumValues.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
          <Button type="submit" variant="dark" size="sm">
            {t("admin-search")}
          </Button>
        </form>
      </Card>
      <div className="grid grid-cols-3 gap-3">
        <Stat label={t("admin-subs-count")} value={String(rows.length)} testId="subs-count" />
        <Stat label={t("admin-subs-topups")} value={String(totals.topups)} />
        <Stat label={t("admin-subs-spent")} value={`${trx(totals.spentSun)} / ${trx(totals.budgetSun)}`} />
      </div>
      <Card>
        <Table
          head={[
            "#",
            t("admin-subs-user"),
            t("admin-subs-address"),
            t("admin-subs-min"),
            t("admin-subs-available"),
            t("admin-subs-status"),
            t("admin-subs-topups"),
            t("admin-subs-spent"),
            t("admin-subs-ends"),
            t("admin-subs-error"),
          ]}
        >
          {rows.map((s) => (
            <tr key={s.id} data-testid={`sub-${s.id}`}>
              <Td>{s.id}</Td>
              <Td>
                <Link href={`/admin/users/${s.userId}`} className="text-brand-700 underline">
                  {s.userId}
                </Link>
              </Td>
              <Td mono>
                <span title={s.address}>{shortAddress(s.address)}</span>
              </Td>
              <Td>{int(s.minEnergy)}</Td>
              <Td>{s.energyAvailable === null ? "—" : int(s.energyAvailable)}</Td>
              <Td>{s.status}</Td>
              <Td>
                <Link
                  href={`/admin/orders?receiver=${encodeURIComponent(s.address)}`}
                  className="text-brand-700 underline"
                >
                  {s.topups}
                </Link>
              </Td>
              <Td>
                {trx(s.spentSun)} / {trx(s.budgetSun)}
              </Td>
              <Td mono>{when(s.endsAt)}</Td>
              <Td>{s.lastError ?? ""}</Td>
            </tr>
          ))}
        </Table>
      </Card>
    </>
  );
}

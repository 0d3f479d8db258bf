import Link from "next/link";
import { Button } from "@/components/ui/button";
import { packageStatus } from "@/db/schema";
import { requireAdminPage } from "@/lib/admin/guard";
import { adminListPackages } from "@/lib/admin/packages";
import { shortAddress, trx } from "@/lib/format";
import { getFloorMarket } from "@/lib/pricing";
import { offerFloors } from "@/lib/pricing/offer-floors";
import { getSettings } from "@/lib/settings";
import { getAdminT } from "../../_components/i18n";
import { OfferFloorsCard } from "../../_components/offer-floors";
import { Card, Stat, Table, Td } from "../../_components/ui";

export const dynamic = "force-dynamic";

/** Per-transfer packages: who bought what for which address, its use, and its margin over the supplies. */
export default async function PackagesPage({ searchParams }: { searchParams: Promise<{ status?: string }> }) {
  const ctx = await requireAdminPage("packages.read");
  const { t, when } = await getAdminT();
  const { status } = await searchParams;
  const known = (packageStatus.enumValues as readonly string[]).includes(status ?? "") ? status : undefined;
  const { rows, totals } = await adminListPackages(ctx, { status: known, limit: 200 });
  const settings = await getSettings();
  const floors = offerFloors(settings, await getFloorMarket(settings));
  return (
    <>
      <h1 className="text-xl font-semibold">{t("admin-nav-packages")}</h1>
      <Card>
        <form method="get" className="flex items-end gap-2">
          <select
            name="status"
            defaultValue={known ?? ""}
            aria-label={t("admin-pkg-status")}
            className="rounded border px-2 py-1 text-sm"
          >
            <option value="">{t("admin-pkg-all")}</option>
            {packageStatus.enumValues.map((s) => (
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
      {floors.packages.length > 0 && (
        <OfferFloorsCard t={t} rows={floors.packages} testId="package-offer-floors" />
      )}
      <div className="grid grid-cols-4 gap-3">
        <Stat label={t("admin-pkg-count")} value={String(rows.length)} testId="packages-count" />
        <Stat label={t("admin-pkg-price")} value={trx(totals.priceSun - totals.refundedSun)} />
        <Stat label={t("admin-pkg-cost")} value={trx(totals.costSun)} />
        <Stat label={t("admin-pkg-margin")} value={trx(totals.marginSun)} testId="packages-margin" />
      </div>
      <Card>
        <Table
          head={[
            "#",
            t("admin-pkg-user"),
            t("admin-pkg-address"),
            t("admin-pkg-status"),
            t("admin-pkg-used"),
            t("admin-pkg-price"),
            t("admin-pkg-refunded"),
            t("admin-pkg-supplies"),
            t("admin-pkg-cost"),
            t("admin-pkg-margin"),
            t("admin-pkg-ends"),
            t("admin-pkg-error"),
          ]}
        >
          {rows.map((p) => (
            <tr key={p.id} data-testid={`package-${p.id}`}>
              <Td>{p.id}</Td>
              <Td>
                <Link href={`/admin/users/${p.userId}`} className="text-brand-700 underline">
                  {p.userId}
                </Link>
              </Td>
              <Td mono>
                <span title={p.address}>{shortAddress(p.address)}</span>
              </Td>
              <Td>{p.status}</Td>
              <Td>
                {p.used} / {p.transfers}
              </Td>
              <Td>{trx(p.priceSun)}</Td>
              <Td>{trx(p.refundedSun)}</Td>
              <Td>
                <Link
                  href={`/admin/orders?receiver=${encodeURIComponent(p.address)}`}
                  className="text-brand-700 underline"
                >
                  {p.supplies}
                </Link>
              </Td>
              <Td>{trx(p.supplyCostSun)}</Td>
              <Td>{trx(p.marginSun)}</Td>
              <Td mono>{when(p.endsAt)}</Td>
              <Td>{p.lastError ?? ""}</Td>
            </tr>
          ))}
        </Table>
      </Card>
    </>
  );
}

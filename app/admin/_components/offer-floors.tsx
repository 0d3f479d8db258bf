import { percentOfBps, trx } from "@/lib/format";
import type { Translate } from "@/lib/i18n";
import type { OfferFloor } from "@/lib/pricing/offer-floors";
import { Card, Table, Td } from "./ui";

/** Hand-set offers (transfer offers or packages) with their floor and margin over it. */
export function OfferFloorsCard({ t, rows, testId }: { t: Translate; rows: OfferFloor[]; testId: string }) {
  return (
    <Card title={t("admin-offers-floor-title")} testId={testId}>
      <p className="mb-2 text-xs text-slate-500">{t("admin-offers-floor-help")}</p>
      <Table
        head={[
          t("admin-offers-col-offer"),
          t("admin-offers-col-price"),
          t("admin-offers-col-floor"),
          t("admin-offers-col-margin"),
          t("admin-offers-col-allowed"),
        ]}
      >
        {rows.map((o) => (
          <tr key={o.key} data-testid="offer-floor-row">
            <Td mono>{o.text}</Td>
            <Td>{trx(o.priceSun)}</Td>
            <Td>{trx(o.floorSun)}</Td>
            <Td>
              <span className={o.below ? "text-red-700" : undefined}>
                {trx(o.marginSun)} ({percentOfBps(o.marginBps)})
              </span>
            </Td>
            <Td>{o.allowed ? t("admin-offers-yes") : "—"}</Td>
          </tr>
        ))}
      </Table>
    </Card>
  );
}

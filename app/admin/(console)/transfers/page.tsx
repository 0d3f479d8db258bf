import Link from "next/link";
import { z } from "zod";
import { rentalTransferStatus } from "@/db/schema";
import { requireAdminPage } from "@/lib/admin/guard";
import { int, trx } from "@/lib/format";
import type { AdminKey } from "@/lib/i18n";
import { getSettings } from "@/lib/settings";
import { txUrl } from "@/lib/tron/explorer";
import { countRentalTransfers, listRentalTransfers, transferOffersView } from "@/lib/transfers";
import { getFloorMarket } from "@/lib/pricing";
import { offerFloors } from "@/lib/pricing/offer-floors";
import { getAdminT } from "../../_components/i18n";
import { OfferFloorsCard } from "../../_components/offer-floors";
import { Card, Table, Td } from "../../_components/ui";

export const dynamic = "force-dynamic";

const query = z.object({
  status: z.enum(rentalTransferStatus.enumValues).optional().catch(undefined),
  before: z.coerce.number().int().positive().optional().catch(undefined),
});

function Tx({ txid }: { txid: string | null }) {
  if (!txid) return <>—</>;
  const url = txUrl(txid);
  const short = `${txid.slice(0, 10)}…`;
  return url ? (
    <a href={url} target="_blank" rel="noreferrer" className="underline">
      {short}
    </a>
  ) : (
    <span title={txid}>{short}</span>
  );
}

/** Pay by transfer: every payment to the rental address and what became of it. */
export default async function TransfersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string>>;
}) {
  await requireAdminPage("orders.read");
  const { t, when } = await getAdminT();
  const q = query.parse(await searchParams);
  const PAGE = 50;
  const [rows, counts, settings] = await Promise.all([
    listRentalTransfers({ status: q.status, beforeId: q.before, limit: PAGE }),
    countRentalTransfers(),
    getSettings(),
  ]);
  const v = transferOffersView(settings);
  const floors = offerFloors(settings, await getFloorMarket(settings));
  const state = (s: (typeof rentalTransferStatus.enumValues)[number]) => t(`admin-transfers-status-${s}`);
  return (
    <>
      <h1 className="text-xl font-semibold">{t("admin-nav-transfers")}</h1>
      <Card>
        <p className="text-sm text-slate-600">
          {t("admin-transfers-address")} <code data-testid="admin-rental-address">{v.address}</code>
          {!settings.transfer.enabled && <> · {t("admin-transfers-disabled")}</>}
        </p>
        <p className="mt-1 text-xs text-slate-500">
          {t("admin-transfers-rules", {
            cap: trx(settings.transfer.riskCapSun),
            fee: trx(settings.transfer.refundFeeSun),
          })}{" "}
          <Link href="/admin/settings" className="underline">
            {t("admin-nav-settings")}
          </Link>
        </p>
        <nav className="mt-2 flex flex-wrap gap-2 text-xs" aria-label={t("admin-transfers-filter")}>
          <Link href="/admin/transfers" className={q.status ? "underline" : "font-semibold"}>
            {t("admin-transfers-all")}
          </Link>
          {rentalTransferStatus.enumValues.map((s) => (
            <Link
              key={s}
              href={`/admin/transfers?status=${s}`}
              className={q.status === s ? "font-semibold" : "underline"}
            >
              {state(s)} ({int(counts[s] ?? 0)})
            </Link>
          ))}
        </nav>
      </Card>
      {floors.transfers.length > 0 && (
        <OfferFloorsCard t={t} rows={floors.transfers} testId="transfer-offer-floors" />
      )}
      <Card testId="rental-transfers">
        {rows.length === 0 ? (
          <p className="text-sm text-slate-500">{t("admin-none")}</p>
        ) : (
          <Table
            head={[
              t("admin-transfers-col-time"),
              t("admin-transfers-col-from"),
              t("admin-transfers-col-amount"),
              t("admin-transfers-col-tx"),
              t("admin-transfers-col-status"),
              t("admin-transfers-col-outcome"),
            ]}
          >
            {rows.map((r) => (
              <tr key={r.id} data-testid="rental-transfer-row" data-status={r.status}>
                <Td mono>
                  {when(r.blockTime ?? r.createdAt)}
                  <span className="block text-slate-500">#{r.blockNumber}</span>
                </Td>
                <Td mono>
                  {r.fromAddress}
                  {r.senderIsContract && (
                    <span className="block text-slate-500">
                      {t("admin-transfers-contract", { origin: r.originAddress })}
                    </span>
                  )}
                </Td>
                <Td>{trx(r.amountSun)}</Td>
                <Td mono>
                  <Tx txid={r.txid} />
                </Td>
                <Td>
                  <span className="font-semibold">{state(r.status)}</span>
                  {r.status === "pending" && !r.solidifiedAt && (
                    <span className="block text-xs text-slate-500">{t("admin-transfers-awaitingSolid")}</span>
                  )}
                  {r.refundReason && (
                    <span className="block text-xs text-slate-500">
                      {t(`admin-transfers-reason-${r.refundReason}` as AdminKey)}
                    </span>
                  )}
                </Td>
                <Td>
                  {r.orderId && (
                    <Link href={`/admin/orders/${r.orderId}`} className="underline">
                      {t("admin-transfers-order", { id: String(r.orderId), energy: int(r.energy ?? 0n) })}
                    </Link>
                  )}
                  {r.refundTxid && (
                    <span className="block">
                      {t("admin-transfers-refund", {
                        amount: trx(r.refundSun ?? 0n),
                        fee: trx(r.feeSun ?? 0n),
                      })}{" "}
                      <Tx txid={r.refundTxid} />
                    </span>
                  )}
                  {r.creditedUserId && (
                    <Link href={`/admin/users/${r.creditedUserId}`} className="block underline">
                      {t("admin-transfers-credited", {
                        amount: trx(r.refundSun ?? 0n),
                        user: String(r.creditedUserId),
                      })}
                    </Link>
                  )}
                  {r.lostSun && (
                    <span className="block text-rose-700">
                      {t("admin-transfers-lost", { amount: trx(r.lostSun) })}
                    </span>
                  )}
                  {r.error && <span className="block text-xs text-rose-700">{r.error}</span>}
                </Td>
              </tr>
            ))}
          </Table>
        )}
        {rows.length === PAGE && (
          <p className="mt-2 text-sm">
            <Link
              href={`/admin/transfers?${new URLSearchParams({ ...(q.status ? { status: q.status } : {}), before: String(rows[rows.length - 1].id) })}`}
              className="underline"
            >
              {t("admin-transfers-older")}
            </Link>
          </p>
        )}
      </Card>
    </>
  );
}

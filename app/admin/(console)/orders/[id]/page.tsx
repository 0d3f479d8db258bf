import Link from "next/link";
import { notFound } from "next/navigation";
import { requireAdminPage } from "@/lib/admin/guard";
import { can } from "@/lib/admin/permissions";
import { batchIdsOfOrders } from "@/lib/batches";
import { isAppError } from "@/lib/errors";
import { getOrder, type OrderDetail } from "@/lib/orders";
import { txUrl } from "@/lib/tron/explorer";
import {
  cancelOrderFormAction,
  reclaimOrderFormAction,
  refundOrderFormAction,
  retryOrderFormAction,
} from "../../../actions";
import { ActionForm, Field } from "../../../_components/action-form";
import { getAdminT } from "../../../_components/i18n";
import { int, trx } from "@/lib/format";
import { Card, ReadOnlyNote, Stat, Table, Td } from "../../../_components/ui";

export const dynamic = "force-dynamic";

function TxLink({ txid }: { txid: string | null }) {
  if (!txid) return <>—</>;
  const url = txUrl(txid);
  return url ? (
    <a href={url} target="_blank" rel="noreferrer" className="underline">
      {txid.slice(0, 12)}…
    </a>
  ) : (
    <span title={txid}>{txid.slice(0, 12)}…</span>
  );
}

export default async function OrderPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await requireAdminPage("orders.read");
  const { t, when } = await getAdminT();
  const { id } = await params;
  if (!/^\d{1,15}$/.test(id)) notFound();
  let o: OrderDetail;
  try {
    o = await getOrder({ orderId: Number(id) });
  } catch (e) {
    if (isAppError(e) && e.code === "not_found") notFound();
    throw e;
  }
  const batchId = (await batchIdsOfOrders([o.id])).get(o.id);
  const role = ctx.admin.role;
  const canAct = can(role, "orders.refund");
  return (
    <>
      <h1 className="text-xl font-semibold">
        {t("admin-order-title", { id: String(o.id) })} <span data-testid="order-status">{o.status}</span>
      </h1>
      <Card>
        <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
          <Stat
            label={t("admin-col-user")}
            value={
              <Link href={`/admin/users/${o.userId}`} className="underline">
                #{o.userId}
              </Link>
            }
          />
          <Stat label={t("admin-col-receiver")} value={o.receiverAddress} />
          <Stat label={t("admin-col-energy")} value={int(o.energy)} />
          <Stat label={t("admin-col-duration")} value={o.durationKey} />
          <Stat label={t("admin-col-price")} value={trx(o.priceSun)} />
          <Stat label={t("admin-col-refunded")} value={trx(o.refundedSun)} />
          <Stat label={t("admin-col-source")} value={o.source} />
          <Stat label={t("admin-col-created")} value={when(o.createdAt)} />
          <Stat label={t("admin-col-delivered")} value={when(o.deliveredAt)} />
          <Stat label={t("admin-col-expires")} value={when(o.expiresAt)} />
          <Stat label={t("admin-col-failure")} value={o.failureReason ?? "—"} />
          {batchId !== undefined && (
            <Stat
              label={t("admin-batch-of-order")}
              value={
                <Link href={`/admin/batches/${batchId}`} className="underline">
                  #{batchId}
                </Link>
              }
            />
          )}
        </div>
      </Card>
      <Card title={t("admin-actions")}>
        {!canAct && <ReadOnlyNote text={t("admin-readOnly")} />}
        {canAct && (
          <div className="flex flex-col gap-3">
            {(o.status === "paid" || o.status === "delegating") && (
              <ActionForm
                action={retryOrderFormAction}
                hidden={{ orderId: o.id }}
                submit={t("admin-order-retry")}
              />
            )}
            {(o.status === "failed" ||
              o.status === "paid" ||
              (o.status === "completed" && o.refundedSun === 0n)) && (
              <ActionForm
                action={refundOrderFormAction}
                hidden={{ orderId: o.id }}
                submit={t("admin-order-refund")}
                danger
                testId="refund-form"
              >
                <Field label={t("admin-reason")} name="reason" required width="w-72" />
              </ActionForm>
            )}
            {o.status === "paid" && (
              <ActionForm
                action={cancelOrderFormAction}
                hidden={{ orderId: o.id }}
                submit={t("admin-order-cancel")}
                danger
              >
                <Field label={t("admin-reason")} name="reason" width="w-72" />
              </ActionForm>
            )}
            {o.delegations.some((d) => d.status === "confirmed" || d.status === "reclaiming") && (
              <ActionForm
                action={reclaimOrderFormAction}
                hidden={{ orderId: o.id }}
                submit={t("admin-order-reclaim")}
              />
            )}
          </div>
        )}
      </Card>
      <Card title={t("admin-order-delegations")}>
        <Table
          head={[
            "#",
            t("admin-col-wallet"),
            "TRX",
            t("admin-col-energy"),
            t("admin-col-status"),
            t("admin-col-tx"),
            t("admin-col-fee"),
            t("admin-col-expires"),
            t("admin-col-reclaimTx"),
            t("admin-col-reclaimed"),
          ]}
        >
          {o.delegations.map((d) => (
            <tr key={d.id}>
              <Td>{d.id}</Td>
              <Td>{d.supplierWalletId}</Td>
              <Td>{trx(d.sun)}</Td>
              <Td>{int(d.energy)}</Td>
              <Td>{d.status}</Td>
              <Td mono>
                <TxLink txid={d.txid} />
              </Td>
              <Td>{trx(d.feeSun)}</Td>
              <Td mono>{when(d.expiresAt)}</Td>
              <Td mono>
                <TxLink txid={d.reclaimTxid} />
              </Td>
              <Td mono>{when(d.reclaimedAt)}</Td>
            </tr>
          ))}
        </Table>
      </Card>
      <Card title={t("admin-order-timeline")}>
        <ol className="space-y-1 text-sm" data-testid="timeline">
          {o.events.map((e) => (
            <li key={e.id} className="font-mono text-xs">
              {when(e.createdAt)} · {e.type}
              {e.fromStatus || e.toStatus ? ` (${e.fromStatus ?? "—"} → ${e.toStatus ?? "—"})` : ""}
              {e.details ? ` ${JSON.stringify(e.details)}` : ""}
            </li>
          ))}
        </ol>
      </Card>
    </>
  );
}

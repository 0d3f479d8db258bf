import Link from "next/link";
import { notFound } from "next/navigation";
import { requireAdminPage } from "@/lib/admin/guard";
import { type BatchDetail, getBatch, lineShownStatus } from "@/lib/batches";
import { isAppError } from "@/lib/errors";
import { int, trx } from "@/lib/format";
import { getAdminT } from "../../../_components/i18n";
import { Card, Stat, Table, Td } from "../../../_components/ui";

export const dynamic = "force-dynamic";

/** One batch: its totals and each line with its order (or why it was not ordered). */
export default async function BatchPage({ params }: { params: Promise<{ id: string }> }) {
  await requireAdminPage("orders.read");
  const { t, when } = await getAdminT();
  const { id } = await params;
  if (!/^\d{1,15}$/.test(id)) notFound();
  let b: BatchDetail;
  try {
    b = await getBatch({ batchId: Number(id) });
  } catch (e) {
    if (isAppError(e) && e.code === "not_found") notFound();
    throw e;
  }
  return (
    <>
      <h1 className="text-xl font-semibold">{t("admin-batch-title", { id: String(b.id) })}</h1>
      <Link href={`/admin/orders?batch=${b.id}`} className="text-sm underline" data-testid="batch-orders">
        {t("admin-batches-its-orders")}
      </Link>
      <Card>
        <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
          <Stat
            label={t("admin-col-user")}
            value={
              <Link href={`/admin/users/${b.userId}`} className="underline">
                #{b.userId}
              </Link>
            }
          />
          <Stat label={t("admin-batches-col-source")} value={b.source} />
          <Stat label={t("admin-batches-col-created")} value={when(b.createdAt)} />
          <Stat
            label={t("admin-batch-placed")}
            value={b.placedAt ? when(b.placedAt) : t("admin-batches-placing")}
          />
          <Stat label={t("admin-batches-col-lines")} value={b.lineCount} />
          <Stat
            label={t("admin-batches-col-ordered")}
            value={b.lines.filter((l) => l.status === "ordered").length}
          />
          <Stat label={t("admin-batch-paid")} value={trx(b.paidSun)} testId="admin-batch-paid" />
          <Stat label={t("admin-batch-refunded")} value={trx(b.refundedSun)} />
        </div>
      </Card>
      <Card title={t("admin-batch-lines")}>
        <Table
          head={[
            "#",
            t("admin-batch-col-receiver"),
            t("admin-batch-col-energy"),
            t("admin-batch-col-duration"),
            t("admin-batch-col-status"),
            t("admin-batch-col-order"),
            t("admin-batch-col-error"),
          ]}
        >
          {b.lines.map((l) => (
            <tr key={l.id} data-testid="admin-batch-line">
              <Td>{l.lineNo}</Td>
              <Td mono>{l.order?.receiverAddress ?? l.receiver}</Td>
              <Td>{l.order ? int(l.order.energy) : l.energy}</Td>
              <Td>{l.order?.durationKey ?? l.duration}</Td>
              <Td>{lineShownStatus(l)}</Td>
              <Td>
                {l.orderId ? (
                  <Link href={`/admin/orders/${l.orderId}`} className="underline">
                    #{l.orderId}
                  </Link>
                ) : (
                  "—"
                )}
              </Td>
              <Td>{l.errorCode ? `${l.errorCode}: ${l.errorMessage ?? ""}` : "—"}</Td>
            </tr>
          ))}
        </Table>
      </Card>
    </>
  );
}

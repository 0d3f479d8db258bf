import Link from "next/link";
import { requireAdminPage } from "@/lib/admin/guard";
import { listBatches } from "@/lib/batches";
import { trx } from "@/lib/format";
import { getAdminT } from "../../_components/i18n";
import { Card, Table, Td } from "../../_components/ui";

export const dynamic = "force-dynamic";

const PAGE = 50;

/** Batch orders, newest first (optionally one user's); each opens its lines and their orders. */
export default async function BatchesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireAdminPage("orders.read");
  const { t, when } = await getAdminT();
  const sp = await searchParams;
  const user = typeof sp.user === "string" && /^\d{1,9}$/.test(sp.user) ? Number(sp.user) : undefined;
  const cursor = typeof sp.cursor === "string" && /^\d{1,18}$/.test(sp.cursor) ? sp.cursor : null;
  const { batches, nextCursor } = await listBatches({ userId: user, cursor, limit: PAGE });
  const next = new URLSearchParams();
  if (user) next.set("user", String(user));
  if (nextCursor) next.set("cursor", nextCursor);
  return (
    <>
      <h1 className="text-xl font-semibold">{t("admin-batches-title")}</h1>
      <form className="flex items-end gap-2 text-sm">
        <label className="flex flex-col gap-1">
          <span className="text-xs text-slate-500">{t("admin-batches-user")}</span>
          <input
            name="user"
            defaultValue={user ?? ""}
            className="rounded border border-slate-300 px-2 py-1"
          />
        </label>
        <button type="submit" className="rounded bg-slate-800 px-3 py-1.5 text-white">
          {t("admin-batches-filter")}
        </button>
      </form>
      <Card>
        {batches.length === 0 ? (
          <p className="text-sm text-slate-500">{t("admin-batches-empty")}</p>
        ) : (
          <Table
            head={[
              t("admin-batches-col-id"),
              t("admin-col-user"),
              t("admin-batches-col-source"),
              t("admin-batches-col-lines"),
              t("admin-batches-col-ordered"),
              t("admin-batches-col-rejected"),
              t("admin-batches-col-total"),
              t("admin-batches-col-created"),
              t("admin-batches-col-orders"),
            ]}
          >
            {batches.map((b) => (
              <tr key={b.id} data-testid="admin-batch-row">
                <Td>
                  <Link href={`/admin/batches/${b.id}`} className="underline">
                    #{b.id}
                  </Link>
                </Td>
                <Td>
                  <Link href={`/admin/users/${b.userId}`} className="underline">
                    #{b.userId}
                  </Link>
                </Td>
                <Td>{b.source}</Td>
                <Td>{b.lineCount}</Td>
                <Td>{b.placedAt ? b.orderedCount : t("admin-batches-placing")}</Td>
                <Td>{b.placedAt ? b.rejectedCount : "—"}</Td>
                <Td>{trx(b.totalPriceSun)}</Td>
                <Td>{when(b.createdAt)}</Td>
                <Td>
                  <Link href={`/admin/orders?batch=${b.id}`} className="underline" data-testid="batch-orders">
                    {t("admin-batches-its-orders")}
                  </Link>
                </Td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
      {nextCursor && (
        <Link href={`/admin/batches?${next}`} className="text-sm underline">
          {t("admin-batches-next")}
        </Link>
      )}
    </>
  );
}

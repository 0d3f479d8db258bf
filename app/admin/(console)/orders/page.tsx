import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { requireAdminPage } from "@/lib/admin/guard";
import { orderSearchSchema, orderSearchSources, searchOrders } from "@/lib/admin/queries";
import { orderStatus } from "@/db/schema";
import { adminFailure } from "../../_components/errors";
import { getAdminT } from "../../_components/i18n";
import { int, trx } from "@/lib/format";
import { Card, Table, Td } from "../../_components/ui";

export const dynamic = "force-dynamic";

export default async function OrdersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string>>;
}) {
  await requireAdminPage("orders.read");
  const { locale, t, when } = await getAdminT();
  const sp = await searchParams;
  const filters = orderSearchSchema.safeParse(sp);
  let result: Awaited<ReturnType<typeof searchOrders>> = { rows: [], nextCursor: null };
  let error: string | null = null;
  try {
    result = await searchOrders(filters.success ? sp : {});
    if (!filters.success)
      error = `${t("admin-orders-bad-filters")} ${filters.error.issues
        .map((i) => `${i.path.join(".")}: ${i.message}`)
        .join(" ")}`;
  } catch (e) {
    const f = adminFailure(e, locale);
    error = f.detail ? `${f.message} ${f.detail}` : f.message;
  }
  const qs = (extra: Record<string, string>) => new URLSearchParams({ ...sp, ...extra }).toString();
  return (
    <>
      <h1 className="text-xl font-semibold">{t("admin-nav-orders")}</h1>
      <Card>
        <form className="flex flex-wrap items-end gap-2 text-xs text-slate-600" method="get">
          <Field label={t("admin-orders-status")} size="sm">
            {(p) => (
              <Select {...p} size="sm" name="status" defaultValue={sp.status ?? ""}>
                <option value="">{t("admin-orders-any")}</option>
                {orderStatus.enumValues.map((s) => (
                  <option key={s}>{s}</option>
                ))}
              </Select>
            )}
          </Field>
          <Field label={t("admin-orders-source")} size="sm">
            {(p) => (
              <Select {...p} size="sm" name="source" defaultValue={sp.source ?? ""}>
                <option value="">{t("admin-orders-any")}</option>
                {orderSearchSources.map((s) => (
                  <option key={s}>{s}</option>
                ))}
              </Select>
            )}
          </Field>
          {(
            [
              ["batch", t("admin-orders-batch"), "text"],
              ["user", t("admin-orders-user"), "text"],
              ["receiver", t("admin-orders-receiver"), "text"],
              ["txid", t("admin-orders-txid"), "text"],
              ["from", t("admin-orders-from"), "date"],
              ["to", t("admin-orders-to"), "date"],
            ] as const
          ).map(([name, label, type]) => (
            <Field key={name} label={label} size="sm">
              {(p) => (
                <Input
                  {...p}
                  size="sm"
                  name={name}
                  type={type}
                  defaultValue={sp[name] ?? ""}
                  className="w-44"
                />
              )}
            </Field>
          ))}
          <Button type="submit" variant="dark" size="sm">
            {t("admin-search")}
          </Button>
        </form>
        {filters.success && filters.data.batch && (
          <p className="mt-2 text-sm">
            <Link href={`/admin/batches/${filters.data.batch}`} className="underline">
              {t("admin-orders-of-batch", { id: filters.data.batch })}
            </Link>
          </p>
        )}
        {error && (
          <p role="alert" className="mt-2 text-sm text-red-700">
            {error}
          </p>
        )}
      </Card>
      <Card>
        <Table
          head={[
            "#",
            "created",
            "user",
            "receiver",
            "energy",
            "duration",
            "price",
            "status",
            t("admin-orders-source"),
            t("admin-orders-batch"),
          ]}
        >
          {result.rows.map((o) => (
            <tr key={o.id} data-testid="order-row">
              <Td>
                <Link href={`/admin/orders/${o.id}`} className="text-brand-700 underline">
                  {o.id}
                </Link>
              </Td>
              <Td mono>{when(o.createdAt)}</Td>
              <Td>
                <Link href={`/admin/users/${o.userId}`} className="underline">
                  {o.username ? `@${o.username}` : `#${o.userId}`}
                </Link>
              </Td>
              <Td mono>{o.receiverAddress}</Td>
              <Td>{int(o.energy)}</Td>
              <Td>{o.durationKey}</Td>
              <Td>{trx(o.priceSun)}</Td>
              <Td>{o.status}</Td>
              <Td>
                {o.source}
                {o.packageId !== null && (
                  <>
                    {" · "}
                    <Link href={`/admin/orders?source=package`} className="underline">
                      package
                    </Link>
                  </>
                )}
                {o.subscriptionId !== null && " · subscription"}
              </Td>
              <Td>
                {o.batchId !== null ? (
                  <Link
                    href={`/admin/orders?batch=${o.batchId}`}
                    className="underline"
                    data-testid="order-batch"
                  >
                    #{o.batchId}
                  </Link>
                ) : (
                  "—"
                )}
              </Td>
            </tr>
          ))}
        </Table>
        {result.rows.length === 0 && <p className="text-sm text-slate-500">{t("admin-none")}</p>}
        {result.nextCursor && (
          <Link
            href={`/admin/orders?${qs({ cursor: result.nextCursor })}`}
            className="mt-2 inline-block text-sm underline"
          >
            {t("admin-next")}
          </Link>
        )}
      </Card>
    </>
  );
}

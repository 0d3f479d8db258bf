import Link from "next/link";
import { buttonVariants } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { orderStatus } from "@/db/schema";
import { durationLabel, type MessageKey } from "@/lib/i18n";
import { listOrders, type OrderStatus } from "@/lib/orders";
import { shortAddress } from "@/lib/format";
import { portalContext } from "../_lib/context";
import { orderSummary } from "../_lib/views";

export const dynamic = "force-dynamic";

const STATUSES = orderStatus.enumValues;
const PAGE = 20;

function statusClass(s: OrderStatus) {
  if (s === "active") return "bg-emerald-100 text-emerald-900";
  if (s === "failed" || s === "refunded" || s === "cancelled") return "bg-rose-100 text-rose-900";
  if (s === "completed") return "bg-slate-200 text-slate-800";
  return "bg-amber-100 text-amber-900";
}

export default async function OrdersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const sp = await searchParams;
  const ctx = await portalContext();
  const { t, user } = ctx;
  const status = STATUSES.find((s) => s === sp.status);
  const cursor = typeof sp.cursor === "string" && /^\d{1,18}$/.test(sp.cursor) ? sp.cursor : null;
  const { orders, nextCursor } = await listOrders({ userId: user.id, status, cursor, limit: PAGE });
  const rows = orders.map((o) => orderSummary(o, ctx));
  const href = (s?: string, c?: string | null) => {
    const q = new URLSearchParams();
    if (s) q.set("status", s);
    if (c) q.set("cursor", c);
    const qs = q.toString();
    return qs ? `/orders?${qs}` : "/orders";
  };
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-2xl font-bold">{t("orders-title")}</h1>
        <Link href="/batch" className="inline-flex min-h-11 items-center text-sm text-(--p-link) underline">
          {t("batch-link")}
        </Link>
      </div>
      <nav aria-label={t("orders-filter")} className="-mx-3 overflow-x-auto px-3">
        <ul className="flex gap-2 pb-1">
          {[undefined, ...STATUSES].map((s) => (
            <li key={s ?? "all"}>
              <Link
                href={href(s)}
                aria-current={s === status ? "page" : undefined}
                className="inline-flex min-h-11 items-center rounded-full border border-slate-300 px-3 text-sm whitespace-nowrap aria-[current=page]:border-(--p-btn) aria-[current=page]:bg-(--p-btn) aria-[current=page]:text-(--p-btn-text)"
              >
                {s ? t(`status-${s}` as MessageKey) : t("orders-filter-all")}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {rows.length === 0 ? (
        <div className="space-y-3 rounded-lg border border-dashed border-slate-300 p-6 text-center">
          <p>{t("orders-empty")}</p>
          <Link href="/rent" className={buttonVariants()}>
            {t("dash-rent")}
          </Link>
        </div>
      ) : (
        <>
          <Table className="hidden rounded-lg bg-(--p-card) tabular-nums md:table" data-testid="orders-table">
            <TableHeader>
              <TableRow>
                <TableHead className="font-normal">{t("orders-col-id")}</TableHead>
                <TableHead className="font-normal">{t("orders-col-created")}</TableHead>
                <TableHead className="font-normal">{t("orders-col-receiver")}</TableHead>
                <TableHead className="font-normal" end>
                  {t("orders-col-energy")}
                </TableHead>
                <TableHead className="font-normal">{t("orders-col-duration")}</TableHead>
                <TableHead className="font-normal" end>
                  {t("orders-col-price")}
                </TableHead>
                <TableHead className="font-normal">{t("orders-col-status")}</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows.map((o) => (
                <TableRow key={o.id} className="border-t border-slate-100">
                  <TableCell>
                    <Link href={`/orders/${o.id}`} className="font-medium text-(--p-link) underline">
                      #{o.id}
                    </Link>
                  </TableCell>
                  <TableCell>{o.created}</TableCell>
                  <TableCell className="font-mono">{shortAddress(o.receiver)}</TableCell>
                  <TableCell end>{o.energy}</TableCell>
                  <TableCell>{durationLabel(t, o.durationKey)}</TableCell>
                  <TableCell end>{o.price}</TableCell>
                  <TableCell>
                    <span
                      className={`rounded-full px-2 py-0.5 text-xs font-semibold ${statusClass(o.status)}`}
                    >
                      {o.statusLabel}
                    </span>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <ul className="space-y-2 md:hidden" data-testid="orders-cards">
            {rows.map((o) => (
              <li key={o.id}>
                <Link
                  href={`/orders/${o.id}`}
                  className="block space-y-1 rounded-lg border border-slate-200 bg-(--p-card) p-3 tabular-nums"
                >
                  <div className="flex items-center justify-between gap-2">
                    <span className="font-semibold">#{o.id}</span>
                    <span
                      className={`rounded-full px-2 py-0.5 text-xs font-semibold ${statusClass(o.status)}`}
                    >
                      {o.statusLabel}
                    </span>
                  </div>
                  <div className="flex justify-between gap-2 text-sm">
                    <span>
                      {o.energy} · {durationLabel(t, o.durationKey)}
                    </span>
                    <span className="font-medium">{o.price}</span>
                  </div>
                  <div className="flex justify-between gap-2 text-xs text-slate-500">
                    <span className="font-mono">{shortAddress(o.receiver)}</span>
                    <span>{o.created}</span>
                  </div>
                </Link>
              </li>
            ))}
          </ul>
        </>
      )}
      <div className="flex gap-2">
        {cursor && (
          <Link
            href={href(status)}
            className="inline-flex min-h-11 items-center rounded-md border border-slate-300 px-3 text-sm"
          >
            {t("common-first")}
          </Link>
        )}
        {nextCursor && (
          <Link
            href={href(status, nextCursor)}
            className="inline-flex min-h-11 items-center rounded-md border border-slate-300 px-3 text-sm"
          >
            {t("common-next")} →
          </Link>
        )}
      </div>
    </div>
  );
}

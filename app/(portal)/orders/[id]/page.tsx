import Link from "next/link";
import { notFound } from "next/navigation";
import { isAppError } from "@/lib/errors";
import { getOrder } from "@/lib/orders";
import { portalContext } from "../../_lib/context";
import { parseOrderId } from "../../_lib/ids";
import { orderLive } from "../../_lib/views";
import { OrderLiveView } from "./order-live";

export const dynamic = "force-dynamic";

export default async function OrderPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const ctx = await portalContext();
  let order: Awaited<ReturnType<typeof getOrder>>;
  try {
    order = await getOrder({ orderId: parseOrderId(id), userId: ctx.user.id });
  } catch (e) {
    if (isAppError(e) && e.code === "not_found") notFound();
    throw e;
  }
  return (
    <div className="space-y-4">
      <Link
        href="/orders"
        data-mini-hide
        className="inline-flex min-h-11 items-center text-sm text-(--p-link)"
      >
        ← {ctx.t("orders-backToList")}
      </Link>
      <h1 className="text-2xl font-bold tabular-nums">{ctx.t("orders-id", { id: order.id })}</h1>
      <OrderLiveView initial={orderLive(order, ctx)} />
    </div>
  );
}

import { z } from "zod";
import { getDb } from "@/db";
import type { Order } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { publishOrderChanges } from "./publish";
import { loadOwned } from "./read";
import { refundInTx } from "./refund";
import { transitionIn } from "./transitions";

/** Cancels an order that is still `paid` (fulfilment not started) and refunds it in full. */
export async function cancelOrder(input: {
  orderId: number;
  userId?: number;
  reason?: string;
}): Promise<Order> {
  const p = z
    .object({
      orderId: z.number().int().positive(),
      userId: z.number().int().positive().optional(),
      reason: z.string().max(500).optional(),
    })
    .parse(input);
  const db = await getDb();
  const changes = await db.transaction(async (tx) => {
    const o = await loadOwned(tx, p.orderId, p.userId);
    const c1 = await transitionIn(tx, o.id, ["paid"], "cancelled", "cancelled", {
      reason: p.reason ?? "cancelled by user",
    });
    if (!c1)
      throw new AppError("invalid_state", "This order can no longer be cancelled: delivery has started.", {
        details: { status: o.status },
      });
    await refundInTx(tx, o, o.priceSun, p.reason ?? "order cancelled");
    const c2 = await transitionIn(tx, o.id, ["cancelled"], "refunded", "refund_completed", {
      amountSun: o.priceSun,
    });
    return [c1, c2] as const;
  });
  await publishOrderChanges(changes);
  return (changes[1] ?? changes[0]).order;
}

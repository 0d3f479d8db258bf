import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import { orders } from "@/db/schema";
import { orderPaid } from "@/inngest/events";
import { AppError } from "@/lib/errors";
import { sendEvent } from "@/lib/events";
import { orderPaidEventId } from "./publish";
import { loadOwned } from "./read";
import { addOrderEvent } from "./transitions";

/** Re-sends order/paid for an order waiting in `paid` or stuck in `delegating`. */
export async function retryOrder(input: { orderId: number }): Promise<{ sent: boolean; attempt: number }> {
  const { orderId } = z.object({ orderId: z.number().int().positive() }).parse(input);
  const db = await getDb();
  const o = await loadOwned(db, orderId);
  if (o.status !== "paid" && o.status !== "delegating")
    throw new AppError("invalid_state", `An order that is ${o.status} cannot be retried.`);
  const [row] = await db
    .update(orders)
    .set({ attempts: sql`${orders.attempts} + 1` })
    .where(eq(orders.id, orderId))
    .returning({ attempts: orders.attempts });
  await addOrderEvent(db, { orderId, type: "retry_requested", details: { attempt: row.attempts } });
  const sent = await sendEvent(
    orderPaid.create({ orderId }, { id: `${orderPaidEventId(orderId)}-retry-${row.attempts}` }),
  );
  return { sent, attempt: row.attempts };
}

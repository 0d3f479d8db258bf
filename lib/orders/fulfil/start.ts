import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { orders } from "@/db/schema";
import { raiseAlert } from "@/lib/alerts";
import { AppError } from "@/lib/errors";
import { publishOrderChanges } from "../publish";
import { transitionIn } from "../transitions";

type StartResult = { proceed: boolean; status: string };

/** paid → delegating (or resume a `delegating` order; anything else: nothing to do). */
export async function startFulfilment(orderId: number): Promise<StartResult> {
  const db = await getDb();
  const c = await db.transaction((tx) =>
    transitionIn(tx, orderId, ["paid"], "delegating", "fulfilment_started"),
  );
  if (c) {
    await publishOrderChanges([c]);
    return { proceed: true, status: "delegating" };
  }
  const [o] = await db.select({ status: orders.status }).from(orders).where(eq(orders.id, orderId));
  if (!o) throw new AppError("not_found", `Order ${orderId} not found.`);
  return { proceed: o.status === "delegating", status: o.status };
}

/**
 * fulfil-order gave up (its retries spent on unexpected errors, not on chain refusals, which fail
 * and refund the order themselves): a critical alert for the operator. Nothing is refunded here,
 * because a delegation may already be on chain; the order stays where it is (the sweep and a retry
 * from the console resume it from what is stored).
 */
export async function fulfilmentGaveUp(orderId: number, error: string): Promise<void> {
  const db = await getDb();
  const [o] = await db.select({ status: orders.status }).from(orders).where(eq(orders.id, orderId));
  if (!o || !["paid", "delegating"].includes(o.status)) return; // it finished after all
  await raiseAlert({
    rule: "fulfil_failed",
    dedupeKey: `fulfil:${orderId}`,
    severity: "critical",
    message:
      `Fulfilling order ${orderId} failed after all retries (${error.slice(0, 300)}). It is still ${o.status}: fix the cause, then retry it from the console.`.slice(
        0,
        1000,
      ),
    details: { orderId, status: o.status },
  });
}

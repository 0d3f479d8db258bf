import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { delegations, orders } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { IN_FLIGHT } from "../parts";
import { publishOrderChanges } from "../publish";
import { refundInTx } from "../refund";
import { type Changed, transitionIn } from "../transitions";

type FinishResult = { status: string; deliveredEnergy: string; refundedSun: string };

/**
 * Ends fulfilment: everything confirmed → `active` (expires_at = latest part expiry); part of it →
 * `active` and the undelivered share refunded; nothing → `failed`, refunded in full, `refunded`.
 * The refund uses the key `refund:order:<id>`, so it happens once.
 */
export async function finishOrder(orderId: number, reason = "no capacity"): Promise<FinishResult> {
  const db = await getDb();
  const changes: (Changed | null)[] = [];
  const res = await db.transaction(async (tx) => {
    const [o] = await tx.select().from(orders).where(eq(orders.id, orderId)).for("update");
    if (o.status !== "delegating")
      return { status: o.status, deliveredEnergy: "0", refundedSun: o.refundedSun.toString() };
    const parts = await tx.select().from(delegations).where(eq(delegations.orderId, orderId));
    if (parts.some((d) => (IN_FLIGHT as readonly string[]).includes(d.status)))
      throw new AppError("internal", `Order ${orderId} still has delegations in flight.`);
    const done = parts.filter((d) => d.status === "confirmed");
    const delivered = done.reduce((a, d) => a + d.energy, 0n);
    // Delivered (in full or in part): active until the latest part's lock ends.
    const activate = async (event: "delivered" | "partially_delivered", details: Record<string, unknown>) => {
      const expiresAt = new Date(Math.max(...done.map((d) => d.expiresAt!.getTime())));
      changes.push(
        await transitionIn(tx, orderId, ["delegating"], "active", event, details, {
          deliveredAt: new Date(),
          expiresAt,
        }),
      );
    };
    if (delivered >= o.energy) {
      await activate("delivered", { deliveredEnergy: delivered, parts: done.map((d) => d.txid) });
      return { status: "active", deliveredEnergy: delivered.toString(), refundedSun: "0" };
    }
    if (delivered > 0n) {
      const undelivered = o.energy - delivered;
      // The customer's share, rounded in their favour.
      const refundSun = (o.priceSun * undelivered + o.energy - 1n) / o.energy;
      await refundInTx(tx, o, refundSun, `undelivered ${undelivered} of ${o.energy} energy`);
      await activate("partially_delivered", {
        deliveredEnergy: delivered,
        undeliveredEnergy: undelivered,
        refundedSun: refundSun,
      });
      return { status: "active", deliveredEnergy: delivered.toString(), refundedSun: refundSun.toString() };
    }
    changes.push(
      await transitionIn(
        tx,
        orderId,
        ["delegating"],
        "failed",
        "failed",
        { reason },
        { failureReason: reason },
      ),
    );
    await refundInTx(tx, o, o.priceSun, `order failed: ${reason}`);
    changes.push(
      await transitionIn(tx, orderId, ["failed"], "refunded", "refund_completed", { amountSun: o.priceSun }),
    );
    return { status: "refunded", deliveredEnergy: "0", refundedSun: o.priceSun.toString() };
  });
  await publishOrderChanges(changes);
  return res;
}

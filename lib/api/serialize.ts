import type { Delegation, Order } from "@/db/schema";
import type { OrderJson } from "./schemas";

/** DB rows → the API's JSON (sun as decimal strings, times as ISO 8601). */

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

const PUBLIC_DELEGATION = new Set(["signed", "broadcast", "confirmed", "reclaiming", "reclaimed"]);

function delegationStatus(d: Delegation): OrderJson["delegations"][number]["status"] {
  if (d.status === "confirmed") return "delegated";
  if (d.status === "reclaiming" || d.status === "reclaimed") return d.status;
  return "pending";
}

/** Our idempotency keys are namespaced `api:<key>`; show the integrator's own key. */
function publicIdempotencyKey(o: Pick<Order, "source" | "idempotencyKey">): string | null {
  if (o.source !== "api") return null;
  return o.idempotencyKey.startsWith("api:") ? o.idempotencyKey.slice(4) : o.idempotencyKey;
}

export function orderToJson(o: Order, parts: Delegation[]): OrderJson {
  return {
    id: String(o.id),
    status: o.status,
    receiver: o.receiverAddress,
    energy: Number(o.energy),
    duration: o.durationKey,
    duration_seconds: o.durationSeconds,
    price_sun: o.priceSun.toString(),
    refunded_sun: o.refundedSun.toString(),
    idempotency_key: publicIdempotencyKey(o),
    callback_url: o.callbackUrl,
    created_at: o.createdAt.toISOString(),
    updated_at: o.updatedAt.toISOString(),
    delivered_at: iso(o.deliveredAt),
    expires_at: iso(o.expiresAt),
    completed_at: iso(o.completedAt),
    delegations: parts
      .filter((d) => d.orderId === o.id && PUBLIC_DELEGATION.has(d.status))
      .map((d) => ({
        energy: Number(d.energy),
        status: delegationStatus(d),
        txid: d.txid,
        delegated_at: iso(d.confirmedAt),
        expires_at: iso(d.expiresAt),
        reclaim_txid: d.reclaimTxid,
        reclaimed_at: iso(d.reclaimedAt),
      })),
  };
}

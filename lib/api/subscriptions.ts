import {
  changeSubscription,
  createSubscription,
  getSubscription,
  listSubscriptions,
  type SubscriptionView,
  subscriptionTopups,
} from "@/lib/subscriptions";
import { apiError } from "./handler";
import type { ApiCaller } from "./keys";
import type { CreateSubscriptionBody, SubscriptionJson } from "./schemas";

/** The reseller API's keep-energy subscriptions (lib/subscriptions), as JSON. */

export function subscriptionToJson(s: SubscriptionView): SubscriptionJson {
  return {
    id: String(s.id),
    status: s.status,
    address: s.address,
    min_energy: Number(s.minEnergy),
    budget_sun: s.budgetSun.toString(),
    spent_sun: s.spentSun.toString(),
    topups: s.topups,
    top_up_pending: s.pending,
    energy_available: s.energyAvailable === null ? null : Number(s.energyAvailable),
    checked_at: s.checkedAt ? s.checkedAt.toISOString() : null,
    last_error: s.lastError,
    ends_at: s.endsAt.toISOString(),
    created_at: s.createdAt.toISOString(),
  };
}

const idOf = (raw: string): number => {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0 || id > 2_147_483_647)
    throw apiError("not_found", "Subscription not found.");
  return id;
};

export async function createApiSubscription(input: {
  caller: ApiCaller;
  body: CreateSubscriptionBody;
  idempotencyKey: string;
}): Promise<{ subscription: SubscriptionJson; created: boolean }> {
  const { subscription, created } = await createSubscription({
    userId: input.caller.userId,
    address: input.body.address,
    minEnergy: input.body.min_energy,
    days: input.body.days,
    budgetSun: input.body.budget_sun,
    source: "api",
    idempotencyKey: `api:${input.idempotencyKey}`,
  });
  return { subscription: subscriptionToJson(subscription), created };
}

export async function listApiSubscriptions(caller: ApiCaller) {
  return { data: (await listSubscriptions(caller.userId, 100)).map(subscriptionToJson) };
}

export async function getApiSubscription(caller: ApiCaller, rawId: string): Promise<SubscriptionJson> {
  const id = idOf(rawId);
  const s = await getSubscription(caller.userId, id);
  const topups = await subscriptionTopups(caller.userId, id);
  return {
    ...subscriptionToJson(s),
    recent_topups: topups.map((t) => ({
      order_id: String(t.orderId),
      energy: Number(t.energy),
      price_sun: t.priceSun.toString(),
      refunded_sun: t.refundedSun.toString(),
      status: t.status as never,
      created_at: t.createdAt.toISOString(),
    })),
  };
}

export async function changeApiSubscription(
  caller: ApiCaller,
  rawId: string,
  action: "pause" | "resume" | "cancel",
): Promise<SubscriptionJson> {
  return subscriptionToJson(await changeSubscription(caller.userId, idOf(rawId), action));
}

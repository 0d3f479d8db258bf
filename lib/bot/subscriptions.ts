import { eq } from "drizzle-orm";
import { InlineKeyboard } from "grammy";
import { getDb } from "@/db";
import { energySubscriptions } from "@/db/schema";
import { trx } from "@/lib/format";
import { getBalance } from "@/lib/ledger";
import { shortAddress } from "@/lib/format";
import { getUserById } from "@/lib/users";
import { cb } from "./callback-data";
import { tr } from "./i18n";
import { getNotifier } from "./notifier";

/**
 * A keep-energy subscription's balance warning in the bot (`subscription/balance.low`): the balance
 * pays for few more top-ups (`low`), a due top-up could not be paid (`empty`), or the budget is spent
 * (`exhausted`). lib/subscriptions sends the event once per low episode.
 */
export async function notifySubscriptionBalance(
  subscriptionId: number,
  kind: "low" | "empty" | "exhausted",
  priceSun: bigint,
): Promise<void> {
  const n = getNotifier();
  if (!n) return;
  const db = await getDb();
  const [s] = await db.select().from(energySubscriptions).where(eq(energySubscriptions.id, subscriptionId));
  if (!s) return;
  const user = await getUserById(s.userId);
  if (!user.telegramId) return;
  const l = user.language;
  const text = tr(l, `bot-keep-warn-${kind}`, {
    id: String(s.id),
    address: shortAddress(s.address),
    balance: trx(await getBalance(user.id)),
    price: trx(priceSun),
  });
  const kb = new InlineKeyboard().text(
    tr(l, kind === "exhausted" ? "btn-keep-open" : "btn-topup"),
    kind === "exhausted" ? cb.keepOpen.pack(s.id) : cb.topup.pack(),
  );
  await n.api.sendMessage(user.telegramId, text, { parse_mode: "HTML", reply_markup: kb });
}

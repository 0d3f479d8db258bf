import { eq } from "drizzle-orm";
import { InlineKeyboard } from "grammy";
import { getDb } from "@/db";
import { transferPackages } from "@/db/schema";
import { shortAddress, trx } from "@/lib/format";
import { getUserById } from "@/lib/users";
import { cb } from "./callback-data";
import { tr } from "./i18n";
import { getNotifier } from "./notifier";

/**
 * A per-transfer package ended (`package/ended`): all its transfers were used, or it expired (with
 * what was refunded for the unused ones). lib/packages sends the event once per package.
 */
export async function notifyPackageEnded(packageId: number): Promise<void> {
  const n = getNotifier();
  if (!n) return;
  const db = await getDb();
  const [p] = await db.select().from(transferPackages).where(eq(transferPackages.id, packageId));
  if (!p || (p.status !== "completed" && p.status !== "expired")) return;
  const user = await getUserById(p.userId);
  if (!user.telegramId) return;
  const l = user.language;
  const text =
    p.status === "completed"
      ? tr(l, "bot-pkg-ended-completed", {
          id: String(p.id),
          address: shortAddress(p.address),
          n: String(p.transfers),
        })
      : tr(l, "bot-pkg-ended-expired", {
          id: String(p.id),
          address: shortAddress(p.address),
          refund: trx(p.refundedSun),
        });
  const kb = new InlineKeyboard()
    .text(tr(l, "btn-pkg-open"), cb.pkgOpen.pack(p.id))
    .text(tr(l, "btn-pkg-buy"), cb.pkgBuy.pack());
  await n.api.sendMessage(user.telegramId, text, { parse_mode: "HTML", reply_markup: kb });
}

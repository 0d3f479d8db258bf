import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { type Deposit, deposits, type Order, type OrderEvent, orderEvents, orders } from "@/db/schema";
import { getBalance } from "@/lib/ledger";
import { logger } from "@/lib/log";
import { findBotBatchOfOrder, getBatch } from "@/lib/batches";
import { getOrder } from "@/lib/orders";
import { getUserById } from "@/lib/users";
import type { Locale } from "@/lib/locale";
import { trx, usdt } from "@/lib/format";
import { tr } from "./i18n";
import { getNotifier } from "./notifier";
import { kvGet, kvSet } from "./session";
import { isNotModified } from "./ui";
import { batchCard } from "./features/batch";
import { orderCard, txLink } from "./views";

/**
 * The bot follows domain changes, as Inngest functions triggered by the domain events
 * (inngest/functions/bot-notices.ts): every order status change re-renders the order's live card
 * (the message recorded with the order), failures and refunds also get a new message (edits are
 * silent), and deposits get a message when seen and when credited. A Telegram failure throws, so
 * the function's retries try again.
 */

const NOTIFY_STATUSES = new Set(["failed", "refunded"]);

async function renderOrderMessage(order: Order, event: OrderEvent): Promise<void> {
  if (!order.telegramChatId || !order.telegramMessageId) return;
  const n = getNotifier();
  if (!n) return;
  const user = await getUserById(order.userId);
  const l: Locale = user.language;
  const detail = await getOrder({ orderId: order.id });
  const screen = orderCard(l, detail, {
    appUrl: n.deps.appUrl,
    tz: user.timezone,
    supportUrl: n.deps.supportUrl,
  });
  try {
    await n.api.editMessageText(order.telegramChatId, order.telegramMessageId, screen.text, {
      parse_mode: "HTML",
      reply_markup: screen.keyboard,
      link_preview_options: { is_disabled: true },
    });
  } catch (e) {
    if (!isNotModified(e)) throw e;
  }
  // Transitions the user may not be watching get a new (notifying) message.
  if (event.toStatus && NOTIFY_STATUSES.has(event.toStatus) && event.toStatus === detail.status) {
    const text =
      detail.status === "refunded"
        ? tr(l, "notice-refunded", {
            id: String(order.id),
            amount: trx(detail.refundedSun || detail.priceSun),
          })
        : tr(l, "notice-failed", { id: String(order.id) });
    await n.api.sendMessage(order.telegramChatId, text, {
      parse_mode: "HTML",
      reply_parameters: { message_id: order.telegramMessageId, allow_sending_without_reply: true },
    });
  }
}

function amountText(d: Deposit): string {
  return d.currency === "USDT" ? usdt(d.amountBase) : trx(d.amountBase);
}

async function renderDepositMessage(d: Deposit, kind: "seen" | "credited"): Promise<void> {
  const n = getNotifier();
  if (!n) return;
  const user = await getUserById(d.userId);
  if (!user.telegramId) return;
  const l: Locale = user.language;
  const key = `msg:deposit:${d.id}`;
  if (kind === "seen") {
    if (await kvGet(key)) return;
    const m = await n.api.sendMessage(user.telegramId, tr(l, "deposit-seen", { amount: amountText(d) }), {
      parse_mode: "HTML",
    });
    await kvSet(key, { chatId: user.telegramId, messageId: m.message_id });
    return;
  }
  const balance = await getBalance(user.id);
  const credited = d.creditedSun ?? d.amountBase;
  const text = tr(l, "deposit-credited", {
    amount: amountText(d),
    credited: trx(credited),
    balance: trx(balance),
    tx: txLink(d.txid),
  });
  const prev = await kvGet<{ chatId: number; messageId: number; credited?: boolean }>(key);
  if (prev?.credited) return;
  // One message per deposit, and the credit notifies (a new message; edits are silent): the
  // "incoming" message gives way to the credited one. Should it be too old to delete (48 h), it is
  // edited to the credited text instead, so it never tells an out-of-date story.
  if (prev) {
    try {
      await n.api.deleteMessage(prev.chatId, prev.messageId);
    } catch {
      try {
        await n.api.editMessageText(prev.chatId, prev.messageId, text, { parse_mode: "HTML" });
      } catch (e) {
        if (!isNotModified(e)) logger.warn({ depositId: d.id }, "could not update deposit message");
      }
    }
  }
  const m = await n.api.sendMessage(user.telegramId, text, {
    parse_mode: "HTML",
    link_preview_options: { is_disabled: true },
  });
  await kvSet(key, { chatId: user.telegramId, messageId: m.message_id, credited: true });
}

/** `order/status.changed` → the order's card, as of now, for that change. */
export async function renderOrderChange(orderId: number, orderEventId: number): Promise<void> {
  const db = await getDb();
  const [[order], [event]] = await Promise.all([
    db.select().from(orders).where(eq(orders.id, orderId)),
    db.select().from(orderEvents).where(eq(orderEvents.id, orderEventId)),
  ]);
  if (!order || !event) return;
  await renderOrderMessage(order, event);
}

/** `deposit/seen` and `deposit/credited` → the deposit's message. */
export async function renderDepositChange(depositId: number, kind: "seen" | "credited"): Promise<void> {
  const db = await getDb();
  const [d] = await db.select().from(deposits).where(eq(deposits.id, depositId));
  if (d) await renderDepositMessage(d, kind);
}

/**
 * `order/status.changed` of an order placed in a bot batch → the batch's card (the message that
 * showed the batch when it was paid), re-rendered as of now. Orders outside a bot batch: nothing.
 */
export async function renderBatchOfOrder(orderId: number): Promise<void> {
  const n = getNotifier();
  if (!n) return;
  const found = await findBotBatchOfOrder(orderId);
  if (!found?.telegramChatId || !found.telegramMessageId) return;
  const user = await getUserById(found.userId);
  const b = await getBatch({ batchId: found.id, userId: found.userId });
  const screen = batchCard(user.language, b);
  try {
    await n.api.editMessageText(found.telegramChatId, found.telegramMessageId, screen.text, {
      parse_mode: "HTML",
      reply_markup: screen.keyboard,
      link_preview_options: { is_disabled: true },
    });
  } catch (e) {
    if (!isNotModified(e)) throw e;
  }
}

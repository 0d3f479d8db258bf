import { eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import { orders } from "@/db/schema";
import { AppError } from "@/lib/errors";

/** The bot records the Telegram message it keeps updated for this order. */
export async function setOrderMessage(input: {
  orderId: number;
  chatId: number;
  messageId: number;
}): Promise<void> {
  const p = z
    .object({
      orderId: z.number().int().positive(),
      chatId: z.number().int(),
      messageId: z.number().int().positive(),
    })
    .parse(input);
  const db = await getDb();
  const rows = await db
    .update(orders)
    .set({ telegramChatId: p.chatId, telegramMessageId: p.messageId })
    .where(eq(orders.id, p.orderId))
    .returning({ id: orders.id });
  if (!rows.length) throw new AppError("not_found", "Order not found.");
}

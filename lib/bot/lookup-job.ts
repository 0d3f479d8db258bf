import { InlineKeyboard } from "grammy";
import { isAppError } from "@/lib/errors";
import { botLookupRequested } from "@/inngest/events";
import { sendEvent } from "@/lib/events";
import { isTronAddress } from "@/lib/tron/address";
import { getUserById } from "@/lib/users";
import { type Looked, lookupAccount } from "./chain";
import { cb } from "./callback-data";
import { code } from "./format";
import type { Locale } from "@/lib/locale";
import { tr } from "./i18n";
import { getNotifier } from "./notifier";
import { isNotModified } from "./ui";
import { accountCard } from "./views";

/**
 * Look-ups never keep the webhook waiting on a slow chain provider: after `slowMs` the bot shows
 * "⏳ Looking up…" and hands the rest to Inngest (bot/lookup.requested → finishLookup edits the
 * message). When the event cannot be sent, the look-up finishes in the request instead.
 */
export const lookupTiming = { slowMs: 2_000 };

export function lookupKeyboard(l: Locale): InlineKeyboard {
  return new InlineKeyboard()
    .text(tr(l, "btn-rent-for-it"), cb.rentLookup.pack())
    .text(tr(l, "btn-save"), cb.walletSaveLookup.pack())
    .row()
    .text(tr(l, "btn-lookup-another"), cb.lookup.pack())
    .text(tr(l, "btn-menu"), cb.menu.pack());
}

export function lookupText(
  l: Locale,
  tz: string | null | undefined,
  address: string,
  r: Looked | Error,
): string {
  if (r instanceof Error)
    return `<b>${tr(l, "lookup-title")}</b>\n${code(address)}\n\n⚠️ ${tr(l, "err-chain")}`;
  return accountCard(l, tz, r, { title: tr(l, "lookup-title"), hints: true });
}

/** Resolves to the result, or "slow" when it takes longer than `slowMs`. */
export async function lookupOrSlow(address: string): Promise<Looked | Error | "slow"> {
  const p = lookupAccount(address).then(
    (r) => r,
    (e) => {
      if (isAppError(e)) return new Error(e.message);
      throw e;
    },
  );
  let timer: NodeJS.Timeout | undefined;
  const slow = new Promise<"slow">((r) => {
    timer = setTimeout(() => r("slow"), lookupTiming.slowMs);
  });
  try {
    return await Promise.race([p, slow]);
  } finally {
    clearTimeout(timer);
  }
}

export async function requestLookup(data: {
  chatId: number;
  messageId: number;
  userId: number;
  address: string;
}): Promise<boolean> {
  return sendEvent(
    botLookupRequested.create(data, { id: `bot-lookup-${data.chatId}-${data.messageId}-${Date.now()}` }),
  );
}

/** The Inngest side: read the account and edit the "⏳ Looking up…" message. */
export async function finishLookup(data: {
  chatId: number;
  messageId: number;
  userId: number;
  address: string;
}): Promise<{ edited: boolean }> {
  const n = getNotifier();
  if (!n) return { edited: false };
  const user = await getUserById(data.userId);
  // Only the user's own private chat (the bot serves private chats only), and only a real address:
  // an event that says otherwise did not come from our webhook.
  if (user.telegramId !== data.chatId || !isTronAddress(data.address)) return { edited: false };
  let r: Looked | Error;
  try {
    r = await lookupAccount(data.address);
  } catch (e) {
    if (!isAppError(e)) throw e;
    r = new Error(e.message);
  }
  try {
    await n.api.editMessageText(
      data.chatId,
      data.messageId,
      lookupText(user.language, user.timezone, data.address, r),
      {
        parse_mode: "HTML",
        reply_markup: lookupKeyboard(user.language),
        link_preview_options: { is_disabled: true },
      },
    );
  } catch (e) {
    if (!isNotModified(e)) throw e;
  }
  return { edited: true };
}

import { Composer, InlineKeyboard } from "grammy";
import { setUserLanguage } from "@/lib/users";
import { cb } from "../callback-data";
import type { Locale } from "@/lib/locale";
import type { BotContext } from "../context";
import { tr } from "../i18n";
import { show, toast } from "../ui";
import { showMenu } from "./start";

/** Language switch: 中文 / English, stored on the user (the portal shares it). */
export const languageFeature = new Composer<BotContext>();

function languageScreen(ctx: BotContext) {
  const l = ctx.locale;
  const mark = (code: Locale, label: string) => (l === code ? `✓ ${label}` : label);
  return {
    text: tr(l, "language-title"),
    keyboard: new InlineKeyboard()
      .text(mark("zh", "中文"), cb.langSet.pack("zh"))
      .text(mark("en", "English"), cb.langSet.pack("en"))
      .row()
      .text(tr(l, "btn-menu"), cb.menu.pack()),
  };
}

languageFeature.command(["language", "lang"], (ctx) => show(ctx, languageScreen(ctx), { fresh: true }));

languageFeature.callbackQuery(cb.lang.filter, async (ctx) => {
  await toast(ctx);
  await show(ctx, languageScreen(ctx));
});

languageFeature.callbackQuery(cb.langSet.filter, async (ctx) => {
  const code = cb.langSet.unpack(ctx.callbackQuery.data)?.code;
  if (code !== "zh" && code !== "en") {
    await toast(ctx, tr(ctx.locale, "toast-outdated"));
    return showMenu(ctx);
  }
  if (code !== ctx.locale) {
    await setUserLanguage(ctx.user.id, code);
    ctx.user = { ...ctx.user, language: code };
    ctx.locale = code;
  }
  await toast(ctx, tr(code, "toast-language"));
  await showMenu(ctx);
});

import { Composer, InlineKeyboard } from "grammy";
import { dateTime, int, percentOfBps, trx } from "@/lib/format";
import { getInviteSummary, type InviteSummary } from "@/lib/referrals";
import type { Locale } from "@/lib/locale";
import { cb } from "../callback-data";
import type { BotContext } from "../context";
import { code, esc } from "../format";
import { tr } from "../i18n";
import { show, type Screen, toast } from "../ui";

/** /invite and the menu's [👥 Invite friends]: the user's invite links, terms, invitees and earnings. */
export const inviteFeature = new Composer<BotContext>();

export function inviteScreen(l: Locale, tz: string | null, s: InviteSummary): Screen {
  const lines = [tr(l, "invite-title")];
  if (s.rateBps > 0) {
    lines.push(tr(l, "invite-terms", { rate: percentOfBps(s.rateBps) }));
    if (s.windowDays > 0) lines.push(tr(l, "invite-terms-window", { days: int(s.windowDays) }));
  } else lines.push(tr(l, "invite-off"));
  lines.push("");
  if (s.botLink) lines.push(tr(l, "invite-bot-link", { link: code(s.botLink) }));
  lines.push(tr(l, "invite-portal-link", { link: code(s.portalLink) }), "");
  lines.push(tr(l, "invite-stats", { count: int(s.invitees), amount: trx(s.earnedSun) }));
  if (s.owedSun > 0n) lines.push(tr(l, "invite-owed", { amount: trx(s.owedSun) }));
  if (s.recent.length) {
    lines.push("", tr(l, "invite-recent"));
    for (const r of s.recent)
      lines.push(
        tr(l, "invite-recent-line", {
          name: esc(r.name),
          date: dateTime(r.joinedAt, l, tz),
          amount: trx(r.earnedSun),
        }),
      );
  } else lines.push(`<i>${tr(l, "invite-none")}</i>`);
  const kb = new InlineKeyboard();
  const share = s.botLink ?? s.portalLink;
  kb.url(
    tr(l, "btn-invite-share"),
    `https://t.me/share/url?url=${encodeURIComponent(share)}&text=${encodeURIComponent(tr(l, "invite-share-text"))}`,
  );
  kb.row().text(tr(l, "btn-menu"), cb.menu.pack());
  return { text: lines.join("\n"), keyboard: kb };
}

async function showInvite(ctx: BotContext, fresh: boolean) {
  ctx.session.step = undefined;
  const summary = await getInviteSummary(ctx.user.id, 5);
  return show(ctx, inviteScreen(ctx.locale, ctx.user.timezone, summary), { fresh });
}

inviteFeature.command("invite", (ctx) => showInvite(ctx, true));

inviteFeature.callbackQuery(cb.invite.filter, async (ctx) => {
  await toast(ctx);
  await showInvite(ctx, false);
});

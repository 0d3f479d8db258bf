import { Composer, InlineKeyboard } from "grammy";
import { dateTime, int, shortAddress, trx } from "@/lib/format";
import { parseTrx } from "@/lib/money";
import {
  changeSubscription,
  createSubscription,
  getSubscription,
  listSubscriptions,
  type SubscriptionView,
} from "@/lib/subscriptions";
import { cb } from "../callback-data";
import type { BotContext } from "../context";
import { businessError } from "../errors";
import { code } from "../format";
import { tr } from "../i18n";
import { confirmScreen, show, toast } from "../ui";

/**
 * Keep-energy subscriptions (/keep): the list, a card with pause / resume / cancel, and a new one
 * typed as one message ("address energy days budget").
 */
export const keepFeature = new Composer<BotContext>();

function line(ctx: BotContext, s: SubscriptionView): string {
  const l = ctx.locale;
  return tr(l, "bot-keep-line", {
    id: String(s.id),
    address: shortAddress(s.address),
    energy: int(s.minEnergy),
    status: tr(l, `bot-keep-status-${s.status}`),
  });
}

async function listScreen(ctx: BotContext) {
  const l = ctx.locale;
  const subs = await listSubscriptions(ctx.user.id, 10);
  const kb = new InlineKeyboard();
  for (const s of subs)
    kb.text(
      `#${s.id} · ${shortAddress(s.address)} · ${tr(l, `bot-keep-status-${s.status}`)}`,
      cb.keepOpen.pack(s.id),
    ).row();
  kb.text(tr(l, "btn-keep-new"), cb.keepNew.pack()).row().text(tr(l, "btn-menu"), cb.menu.pack());
  const text = subs.length
    ? [`<b>${tr(l, "bot-keep-title")}</b>`, ...subs.map((s) => line(ctx, s))].join("\n")
    : tr(l, "bot-keep-empty");
  return { text, keyboard: kb };
}

export function keepCard(ctx: BotContext, s: SubscriptionView) {
  const l = ctx.locale;
  const lines = [
    `<b>${tr(l, "bot-keep-card-title", { id: String(s.id) })}</b>`,
    code(s.address),
    tr(l, "bot-keep-card-status", { status: tr(l, `bot-keep-status-${s.status}`) }),
    tr(l, "bot-keep-card-min", { energy: int(s.minEnergy) }),
    tr(l, "bot-keep-card-now", {
      energy: s.energyAvailable === null ? "—" : int(s.energyAvailable),
    }),
    tr(l, "bot-keep-card-budget", {
      spent: trx(s.spentSun),
      budget: trx(s.budgetSun),
      topups: String(s.topups),
    }),
    tr(l, "bot-keep-card-ends", { date: dateTime(s.endsAt, l, ctx.user.timezone) }),
  ];
  if (s.lastError && s.status === "active") lines.push(`⚠️ ${tr(l, "bot-keep-card-waiting")}`);
  const kb = new InlineKeyboard();
  if (s.status === "active") kb.text(tr(l, "btn-keep-pause"), cb.keepPause.pack(s.id));
  if (s.status === "paused") kb.text(tr(l, "btn-keep-resume"), cb.keepResume.pack(s.id));
  if (["active", "paused", "exhausted"].includes(s.status))
    kb.text(tr(l, "btn-keep-cancel"), cb.keepCancel.pack(s.id));
  kb.row().text("🔄", cb.keepOpen.pack(s.id)).text(tr(l, "btn-back"), cb.keep.pack());
  return { text: lines.join("\n"), keyboard: kb };
}

keepFeature.command("keep", async (ctx) => {
  ctx.session.step = undefined;
  await show(ctx, await listScreen(ctx), { fresh: true });
});

keepFeature.callbackQuery(cb.keep.filter, async (ctx) => {
  ctx.session.step = undefined;
  await toast(ctx);
  await show(ctx, await listScreen(ctx));
});

const idOf = (def: { unpack: (d: string) => { id: string } | null }, data: string) =>
  Number(def.unpack(data)?.id ?? 0);

keepFeature.callbackQuery(cb.keepOpen.filter, async (ctx) => {
  try {
    const s = await getSubscription(ctx.user.id, idOf(cb.keepOpen, ctx.callbackQuery.data));
    await toast(ctx);
    await show(ctx, keepCard(ctx, s));
  } catch (e) {
    const text = businessError(ctx.locale, e);
    if (!text) throw e;
    await toast(ctx, text, true);
  }
});

async function act(ctx: BotContext, id: number, action: "pause" | "resume" | "cancel") {
  try {
    const s = await changeSubscription(ctx.user.id, id, action);
    await toast(ctx, tr(ctx.locale, `bot-keep-done-${action}`));
    await show(ctx, keepCard(ctx, s));
  } catch (e) {
    const text = businessError(ctx.locale, e);
    if (!text) throw e;
    await toast(ctx, text, true);
  }
}

keepFeature.callbackQuery(cb.keepPause.filter, (ctx) =>
  act(ctx, idOf(cb.keepPause, ctx.callbackQuery.data), "pause"),
);
keepFeature.callbackQuery(cb.keepResume.filter, (ctx) =>
  act(ctx, idOf(cb.keepResume, ctx.callbackQuery.data), "resume"),
);
keepFeature.callbackQuery(cb.keepCancel.filter, async (ctx) => {
  const id = idOf(cb.keepCancel, ctx.callbackQuery.data);
  const l = ctx.locale;
  await confirmScreen(
    ctx,
    tr(l, "bot-keep-cancel-confirm", { id: String(id) }),
    { label: tr(l, "btn-keep-cancel-yes"), data: cb.keepCancelYes.pack(id) },
    { label: tr(l, "btn-back"), data: cb.keepOpen.pack(id) },
  );
});
keepFeature.callbackQuery(cb.keepCancelYes.filter, (ctx) =>
  act(ctx, idOf(cb.keepCancelYes, ctx.callbackQuery.data), "cancel"),
);

keepFeature.callbackQuery(cb.keepNew.filter, async (ctx) => {
  await toast(ctx);
  ctx.session.step = { kind: "keep_new" };
  await show(ctx, {
    text: tr(ctx.locale, "bot-keep-new-prompt"),
    keyboard: new InlineKeyboard().text(tr(ctx.locale, "btn-back"), cb.keep.pack()),
  });
});

/** "T… 65000 7 50": address, minimum energy, days, budget in TRX. */
keepFeature.on("message:text").filter(
  (ctx) => ctx.session.step?.kind === "keep_new" && !ctx.message.text.startsWith("/"),
  async (ctx) => {
    const l = ctx.locale;
    const parts = ctx.message.text.trim().split(/\s+/);
    const again = new InlineKeyboard().text(tr(l, "btn-back"), cb.keep.pack());
    if (
      parts.length !== 4 ||
      !/^\d{1,9}$/.test(parts[1].replace(/[,_]/g, "")) ||
      !/^\d{1,4}$/.test(parts[2])
    ) {
      await show(ctx, { text: tr(l, "bot-keep-new-format"), keyboard: again });
      return;
    }
    try {
      const { subscription } = await createSubscription({
        userId: ctx.user.id,
        address: parts[0],
        minEnergy: parts[1].replace(/[,_]/g, ""),
        days: Number(parts[2]),
        budgetSun: parseTrx(parts[3], { field: "budget" }),
        source: "bot",
        idempotencyKey: `tg:${ctx.chat.id}:${ctx.message.message_id}`,
      });
      ctx.session.step = undefined;
      await show(ctx, keepCard(ctx, subscription), { fresh: true });
    } catch (e) {
      const text = businessError(l, e);
      if (!text) throw e;
      await show(ctx, { text: `⚠️ ${text}\n\n${tr(l, "bot-keep-new-format")}`, keyboard: again });
    }
  },
);

import { Composer, InlineKeyboard } from "grammy";
import {
  type BatchDetail,
  type BatchPreview,
  createBatch,
  getBatch,
  lineShownStatus,
  parseBatchText,
  previewBatch,
  setBatchMessage,
} from "@/lib/batches";
import { AppError, type ErrorCode, isAppError } from "@/lib/errors";
import { int, shortAddress, trx } from "@/lib/format";
import type { Locale } from "@/lib/locale";
import { getSettings, type Settings } from "@/lib/settings";
import { cb } from "../callback-data";
import type { BatchDraft, BotContext } from "../context";
import { durationChip, durationLong, esc } from "../format";
import { tr } from "../i18n";
import { type Screen, show, toast } from "../ui";
import { enabledDurations, newId, refusal } from "./rent-screens";
import { showMenu } from "./start";

/**
 * Batch rent: several receivers in one go. /batch (or the menu's button) asks for the addresses,
 * one per line (`address [energy] [duration]`; lines without energy or duration take the ones
 * chosen with the buttons) → the review (each line quoted or why it cannot be ordered, the total
 * against the balance) → Pay → the batch card: each line's order status, refreshed on demand.
 * The rules are lib/batches' (one order and one debit per line, in list order).
 */
export const batchFeature = new Composer<BotContext>();

/** Lines shown on one screen (Telegram messages hold 4,096 characters). */
const SHOWN_LINES = 40;

function newDraft(s: Settings, prev?: BatchDraft): BatchDraft {
  return {
    id: newId(6),
    energy: prev?.energy ?? s.presets[0],
    duration: prev?.duration ?? enabledDurations(s)[0].key,
  };
}

function defaultsKeyboard(l: Locale, s: Settings, d: BatchDraft): InlineKeyboard {
  const kb = new InlineKeyboard();
  for (const p of s.presets) kb.text(`${p === d.energy ? "✓ " : ""}${int(p)}`, cb.batchEnergy.pack(d.id, p));
  kb.row();
  for (const x of enabledDurations(s))
    kb.text(
      `${x.key === d.duration ? "✓ " : ""}${durationChip(x.key, l)}`,
      cb.batchDuration.pack(d.id, x.key),
    );
  return kb.row();
}

async function askScreen(ctx: BotContext, d: BatchDraft, note?: string): Promise<Screen> {
  const l = ctx.locale;
  const s = await getSettings();
  const text = [
    `<b>${tr(l, "bot-batch-title")}</b>`,
    tr(l, "bot-batch-ask", { max: String(s.batchMaxLines) }),
    "<code>TXyz… 65000 1h</code>",
    tr(l, "bot-batch-defaults", { energy: int(d.energy), duration: durationLong(d.duration, l) }),
    ...(note ? ["", note] : []),
  ].join("\n");
  const kb = defaultsKeyboard(l, s, d).text(tr(l, "btn-cancel"), cb.cancelInput.pack());
  return { text, keyboard: kb };
}

/** A rejected line's reason in the user's words. */
function lineReason(
  l: Locale,
  e: { code: string; message: string; details?: Record<string, unknown> | null },
): string {
  if (e.code === "duplicate_receiver" || e.details?.reason === "duplicate_receiver")
    return tr(l, "bot-batch-duplicate", { line: String(e.details?.line ?? "?") });
  const err = new AppError(e.code as ErrorCode, e.message, { details: e.details ?? undefined });
  return refusal(l, err) ?? tr(l, "err-bad-request");
}

function clipped<T>(l: Locale, items: T[], render: (x: T) => string): string[] {
  const out = items.slice(0, SHOWN_LINES).map(render);
  if (items.length > SHOWN_LINES)
    out.push(tr(l, "bot-batch-more", { count: String(items.length - SHOWN_LINES) }));
  return out;
}

function reviewScreen(l: Locale, d: BatchDraft, p: BatchPreview, s: Settings): Screen {
  const dl = (k: string) => durationChip(k, l);
  const lines = clipped(l, p.lines, (x) =>
    x.error
      ? `${x.lineNo}. ❌ <code>${esc(x.receiver ? shortAddress(x.receiver) : x.input.receiver.slice(0, 40) || "—")}</code>: ${esc(lineReason(l, x.error))}`
      : `${x.lineNo}. <code>${esc(shortAddress(x.receiver ?? ""))}</code> · ${int(x.energy ?? 0n)} · ${dl(x.durationKey ?? "")} · ${trx(x.priceSun ?? 0n)}`,
  );
  const after = p.balanceSun - p.totalPriceSun;
  const text = [
    `<b>${tr(l, "bot-batch-review-title")}</b>`,
    ...lines,
    "",
    `<b>${tr(l, "bot-batch-total", { count: String(p.validCount), energy: int(p.totalEnergy), price: trx(p.totalPriceSun) })}</b>`,
    p.short
      ? tr(l, "bot-batch-short", { balance: trx(p.balanceSun) })
      : tr(l, "review-balance", { balance: trx(p.balanceSun), after: trx(after) }),
    ...(p.validCount < p.lines.length
      ? [tr(l, "bot-batch-invalid", { count: String(p.lines.length - p.validCount) })]
      : []),
  ].join("\n");
  const kb = defaultsKeyboard(l, s, d);
  if (p.validCount > 0)
    kb.text(tr(l, "btn-batch-pay", { price: trx(p.totalPriceSun) }), cb.batchPay.pack(d.id)).row();
  kb.text(tr(l, "btn-batch-edit"), cb.batchEdit.pack(d.id)).text(tr(l, "btn-cancel"), cb.cancelInput.pack());
  return { text, keyboard: kb };
}

const STATUS_ICON: Record<string, string> = {
  pending: "⏳",
  rejected: "❌",
  paid: "⏳",
  delegating: "⏳",
  active: "✅",
  reclaiming: "☑️",
  completed: "☑️",
  failed: "⚠️",
  cancelled: "↩️",
  refunded: "↩️",
};

export function batchCard(l: Locale, b: BatchDetail): Screen {
  const lines = clipped(l, b.lines, (x) => {
    const st = lineShownStatus(x);
    const icon = STATUS_ICON[st] ?? "•";
    if (!x.order)
      return st === "rejected"
        ? `${x.lineNo}. ${icon} <code>${esc(x.receiver.slice(0, 40) || "—")}</code>: ${esc(
            lineReason(l, {
              code: x.errorCode ?? "bad_request",
              message: x.errorMessage ?? "",
              details: x.errorDetails,
            }),
          )}`
        : `${x.lineNo}. ${icon} <code>${esc(x.receiver.slice(0, 40))}</code>: ${tr(l, "bot-batch-line-pending")}`;
    return `${x.lineNo}. ${icon} <code>${esc(shortAddress(x.order.receiverAddress))}</code> · ${int(x.order.energy)} · #${x.order.id} · ${tr(
      l,
      `bot-status-${x.order.status}` as never,
    )}`;
  });
  const ordered = b.lines.filter((x) => x.status === "ordered").length;
  const rejected = b.lines.filter((x) => x.status === "rejected").length;
  const text = [
    `<b>${tr(l, "bot-batch-card-title", { id: String(b.id) })}</b>`,
    ...lines,
    "",
    `<b>${tr(l, "bot-batch-card-summary", { ordered: String(ordered), rejected: String(rejected), paid: trx(b.paidSun) })}</b>`,
    ...(b.refundedSun > 0n ? [tr(l, "bot-batch-card-refunded", { amount: trx(b.refundedSun) })] : []),
  ].join("\n");
  const kb = new InlineKeyboard()
    .text(tr(l, "btn-batch-refresh"), cb.batchView.pack(b.id))
    .text(tr(l, "btn-menu"), cb.menu.pack());
  return { text, keyboard: kb };
}

async function openBatch(ctx: BotContext, fresh: boolean) {
  const s = await getSettings();
  const d = newDraft(s, ctx.session.batch);
  ctx.session.batch = d;
  ctx.session.step = { kind: "batch_list" };
  await show(ctx, await askScreen(ctx, d), { fresh });
}

batchFeature.command("batch", (ctx) => openBatch(ctx, true));

batchFeature.callbackQuery(cb.batch.filter, async (ctx) => {
  await toast(ctx);
  await openBatch(ctx, false);
});

/** The draft a button belongs to, or the menu with "out of date" when it is another one. */
async function draftOf(ctx: BotContext, id: string | undefined): Promise<BatchDraft | null> {
  const d = ctx.session.batch;
  if (d && id && d.id === id) return d;
  await toast(ctx, tr(ctx.locale, "toast-outdated"));
  await showMenu(ctx);
  return null;
}

/** Reviews the draft's lines (or asks for them again with the reason). */
async function reviewDraft(ctx: BotContext, d: BatchDraft) {
  const l = ctx.locale;
  const s = await getSettings();
  const lines = parseBatchText(
    (d.lines ?? []).map((x) => [x.receiver, x.energy, x.duration].filter(Boolean).join(" ")).join("\n"),
    { energy: String(d.energy), duration: d.duration },
  );
  try {
    const p = await previewBatch({ userId: ctx.user.id, lines });
    ctx.session.step = undefined;
    await show(ctx, reviewScreen(l, d, p, s));
  } catch (e) {
    if (isAppError(e) && e.details?.reason === "too_many_lines") {
      ctx.session.step = { kind: "batch_list" };
      d.lines = undefined;
      await show(
        ctx,
        await askScreen(
          ctx,
          d,
          `⚠️ ${tr(l, "bot-batch-too-many", { max: String(e.details.max), count: String(e.details.count) })}`,
        ),
      );
      return;
    }
    const m = refusal(l, e);
    if (!m) throw e;
    await show(ctx, await askScreen(ctx, d, `⚠️ ${m}`));
  }
}

batchFeature.on("message:text").filter(
  (ctx) =>
    ctx.session.step?.kind === "batch_list" && !!ctx.message?.text && !ctx.message.text.startsWith("/"),
  async (ctx) => {
    const s = await getSettings();
    const d = ctx.session.batch ?? newDraft(s);
    ctx.session.batch = d;
    let raw: { receiver: string; energy: string; duration: string }[];
    try {
      // Kept as typed; the defaults are applied at review time, so changing them re-prices.
      raw = parseBatchText(ctx.message.text);
    } catch {
      await show(ctx, await askScreen(ctx, d, `⚠️ ${tr(ctx.locale, "err-too-large")}`), { fresh: true });
      return;
    }
    if (raw.length === 0) {
      await show(ctx, await askScreen(ctx, d, `⚠️ ${tr(ctx.locale, "bot-batch-empty")}`), { fresh: true });
      return;
    }
    d.id = newId(6); // new lines → a new batch (a new idempotency key)
    d.lines = raw;
    // A typed message: the review is a new message (show() sends one when there is no tapped button).
    await reviewDraft(ctx, d);
  },
);

batchFeature.callbackQuery(cb.batchEnergy.filter, async (ctx) => {
  const a = cb.batchEnergy.unpack(ctx.callbackQuery.data);
  const d = await draftOf(ctx, a?.draft);
  if (!d || !a) return;
  const s = await getSettings();
  const e = Number(a.energy);
  if (s.presets.includes(e)) d.energy = e;
  await toast(ctx);
  if (d.lines?.length) return reviewDraft(ctx, d);
  await show(ctx, await askScreen(ctx, d));
});

batchFeature.callbackQuery(cb.batchDuration.filter, async (ctx) => {
  const a = cb.batchDuration.unpack(ctx.callbackQuery.data);
  const d = await draftOf(ctx, a?.draft);
  if (!d || !a) return;
  const s = await getSettings();
  if (enabledDurations(s).some((x) => x.key === a.key)) d.duration = a.key;
  await toast(ctx);
  if (d.lines?.length) return reviewDraft(ctx, d);
  await show(ctx, await askScreen(ctx, d));
});

batchFeature.callbackQuery(cb.batchEdit.filter, async (ctx) => {
  const d = await draftOf(ctx, cb.batchEdit.unpack(ctx.callbackQuery.data)?.draft);
  if (!d) return;
  d.lines = undefined;
  ctx.session.step = { kind: "batch_list" };
  await toast(ctx);
  await show(ctx, await askScreen(ctx, d));
});

batchFeature.callbackQuery(cb.batchPay.filter, async (ctx) => {
  const l = ctx.locale;
  const d = await draftOf(ctx, cb.batchPay.unpack(ctx.callbackQuery.data)?.draft);
  if (!d) return;
  if (!d.lines?.length) {
    await toast(ctx, tr(l, "toast-outdated"));
    return openBatch(ctx, false);
  }
  const lines = parseBatchText(
    d.lines.map((x) => [x.receiver, x.energy, x.duration].filter(Boolean).join(" ")).join("\n"),
    { energy: String(d.energy), duration: d.duration },
  );
  const msg = ctx.callbackQuery.message;
  let batchId: number;
  try {
    // The draft id is the key: a double tap, or a tap after a crash, returns the same batch.
    ({ batchId } = await createBatch({
      userId: ctx.user.id,
      source: "bot",
      idempotencyKey: `bot:batch:${d.id}`,
      lines,
      telegramChatId: msg?.chat.id,
    }));
  } catch (e) {
    const m =
      isAppError(e) && e.details?.reason === "too_many_lines"
        ? tr(l, "bot-batch-too-many", { max: String(e.details.max), count: String(e.details.count) })
        : refusal(l, e);
    if (!m) throw e;
    await toast(ctx, m, true);
    return;
  }
  if (msg) await setBatchMessage(batchId, msg.chat.id, msg.message_id);
  ctx.session.batch = { ...d, batchId };
  const b = await getBatch({ batchId, userId: ctx.user.id });
  await toast(
    ctx,
    tr(l, "toast-batch-placed", { ordered: String(b.lines.filter((x) => x.status === "ordered").length) }),
  );
  await show(ctx, batchCard(l, b));
});

batchFeature.callbackQuery(cb.batchView.filter, async (ctx) => {
  const id = Number(cb.batchView.unpack(ctx.callbackQuery.data)?.id);
  let b: BatchDetail;
  try {
    b = await getBatch({ batchId: id, userId: ctx.user.id });
  } catch (e) {
    if (isAppError(e) && e.code === "not_found") {
      await toast(ctx, tr(ctx.locale, "err-not-found"));
      return showMenu(ctx);
    }
    throw e;
  }
  await toast(ctx);
  await show(ctx, batchCard(ctx.locale, b));
});

import "server-only";
import type { Locale, MessageKey, Translate } from "@/lib/i18n";
import { type BatchDetail, type BatchPreview, lineShownStatus } from "@/lib/batches";
import { AppError } from "@/lib/errors";
import { dateTime, formatInteger, formatTrx } from "@/lib/format";
import { durationLabel } from "@/lib/i18n";
import { localizeError } from "../_lib/errors";

/**
 * JSON-safe views of a batch for the portal: the preview before confirming, and the batch with its
 * lines (what the live page polls). Amounts and times formatted by lib/format; line errors in the
 * user's language (from the stored code and details, never the library's English).
 */
type Fmt = { t: Translate; locale: Locale; tz: string };

export type BatchLineView = {
  lineNo: number;
  receiver: string;
  energy: string;
  duration: string;
  price: string | null;
  status: string;
  statusLabel: string;
  orderId: number | null;
  error: string | null;
};

export type BatchPreviewView = {
  lines: BatchLineView[];
  validCount: number;
  invalidCount: number;
  totalEnergy: string;
  total: string;
  balance: string;
  short: boolean;
};

export type BatchLive = {
  id: number;
  created: string;
  placed: boolean;
  lines: BatchLineView[];
  orderedCount: number;
  rejectedCount: number;
  paid: string;
  refunded: string | null;
  settled: boolean;
};

/** A rejected line's error in the user's language. */
export function lineErrorText(
  t: Translate,
  e: { code: string; message: string; details?: Record<string, unknown> | null },
): string {
  if (e.code === "duplicate_receiver" || e.details?.reason === "duplicate_receiver")
    return t("batch-error-duplicate", { line: String(e.details?.line ?? "?") });
  const code = e.code as ConstructorParameters<typeof AppError>[0];
  return localizeError(new AppError(code, e.message, { details: e.details ?? undefined }), t).message;
}

const energyText = (t: Translate, raw: string, parsed: bigint | null) =>
  parsed !== null ? t("energy-amount", { n: formatInteger(parsed) }) : raw;

export function batchPreviewView(p: BatchPreview, { t }: Fmt): BatchPreviewView {
  return {
    lines: p.lines.map((l) => ({
      lineNo: l.lineNo,
      receiver: l.receiver ?? l.input.receiver,
      energy: energyText(t, l.input.energy, l.energy),
      duration: l.durationKey ? durationLabel(t, l.durationKey) : l.input.duration,
      price: l.priceSun !== null && !l.error ? formatTrx(l.priceSun) : null,
      status: l.error ? "rejected" : "ok",
      statusLabel: l.error ? t("batch-line-rejected") : t("batch-line-ok"),
      orderId: null,
      error: l.error
        ? lineErrorText(t, { code: l.error.code, message: l.error.message, details: l.error.details })
        : null,
    })),
    validCount: p.validCount,
    invalidCount: p.lines.length - p.validCount,
    totalEnergy: t("energy-amount", { n: formatInteger(p.totalEnergy) }),
    total: formatTrx(p.totalPriceSun),
    balance: formatTrx(p.balanceSun),
    short: p.short,
  };
}

export function batchLive(b: BatchDetail, { t, locale, tz }: Fmt): BatchLive {
  return {
    id: b.id,
    created: dateTime(b.createdAt, locale, tz),
    placed: b.placedAt !== null,
    lines: b.lines.map((l) => {
      const status = lineShownStatus(l);
      return {
        lineNo: l.lineNo,
        receiver: l.order?.receiverAddress ?? l.receiver,
        energy: l.order ? t("energy-amount", { n: formatInteger(l.order.energy) }) : l.energy,
        duration: l.order ? durationLabel(t, l.order.durationKey) : l.duration,
        price: l.order ? formatTrx(l.order.priceSun) : null,
        status,
        statusLabel: l.order
          ? t(`status-${l.order.status}` as MessageKey)
          : t(l.status === "pending" ? "batch-line-pending" : "batch-line-rejected"),
        orderId: l.orderId,
        error:
          l.status === "rejected"
            ? lineErrorText(t, {
                code: l.errorCode ?? "bad_request",
                message: l.errorMessage ?? "",
                details: l.errorDetails,
              })
            : null,
      };
    }),
    orderedCount: b.lines.filter((l) => l.status === "ordered").length,
    rejectedCount: b.lines.filter((l) => l.status === "rejected").length,
    paid: formatTrx(b.paidSun),
    refunded: b.refundedSun > 0n ? formatTrx(b.refundedSun) : null,
    settled: b.settled,
  };
}

import Link from "next/link";
import { listBatches } from "@/lib/batches";
import { dateTime, formatTrx } from "@/lib/format";
import { durationLabel } from "@/lib/i18n";
import { getSettings } from "@/lib/settings";
import { portalContext } from "../_lib/context";
import { BatchForm } from "./batch-form";

export const dynamic = "force-dynamic";

/** New batch order (paste or upload a list → preview → confirm), and the user's recent batches. */
export default async function BatchPage() {
  const { user, t, locale, tz } = await portalContext();
  const [settings, recent] = await Promise.all([getSettings(), listBatches({ userId: user.id, limit: 10 })]);
  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <Link
          href="/orders"
          data-mini-hide
          className="inline-flex min-h-11 items-center text-sm text-(--p-link)"
        >
          ← {t("orders-backToList")}
        </Link>
        <h1 className="text-2xl font-bold">{t("batch-title")}</h1>
        <p className="text-slate-600">{t("batch-intro")}</p>
      </div>
      {settings.maintenance.enabled && (
        <p role="status" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-amber-900">
          ⚠️ {settings.maintenance.message || t("rent-maintenance")}
        </p>
      )}
      <BatchForm
        setup={{
          durations: settings.durations
            .filter((d) => d.enabled)
            .map((d) => ({ key: d.key, label: durationLabel(t, d.key) })),
          maxLines: settings.batchMaxLines,
        }}
      />
      {recent.batches.length > 0 && (
        <section className="space-y-2">
          <h2 className="text-lg font-semibold">{t("batch-recent")}</h2>
          <ul className="space-y-2" data-testid="batch-recent">
            {recent.batches.map((b) => (
              <li key={b.id}>
                <Link
                  href={`/batch/${b.id}`}
                  className="flex flex-wrap justify-between gap-2 rounded-lg border border-slate-200 bg-(--p-card) p-3 text-sm tabular-nums"
                >
                  <span className="font-medium">{t("batch-id", { id: String(b.id) })}</span>
                  <span>
                    {b.placedAt
                      ? t("batch-summary", {
                          ordered: String(b.orderedCount),
                          rejected: String(b.rejectedCount),
                          price: formatTrx(b.totalPriceSun),
                        })
                      : t("batch-line-pending")}
                  </span>
                  <span className="text-slate-500">{dateTime(b.createdAt, locale, tz)}</span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

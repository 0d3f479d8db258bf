import { CopyButton } from "@/app/_components/copy-button";
import { getOrCreateDepositAddress, listDeposits } from "@/lib/deposits";
import { env } from "@/lib/env";
import { logger } from "@/lib/log";
import { formatTrx, formatUsdt } from "@/lib/money";
import { getSettings } from "@/lib/settings";
import { tron } from "@/lib/tron/client";
import { portalContext } from "../_lib/context";
import { depositRow } from "../_lib/views";
import { DepositQr } from "./deposit-qr";
import { DepositsLive } from "./topup-live";

export const dynamic = "force-dynamic";

export default async function TopUpPage() {
  const ctx = await portalContext();
  const { user, t } = ctx;
  const [settings, deposits, address] = await Promise.all([
    getSettings(),
    listDeposits({ userId: user.id, limit: 20 }),
    getOrCreateDepositAddress(user.id).catch((e) => {
      logger.error({ err: e, userId: user.id }, "portal: deposit address unavailable");
      return null;
    }),
  ]);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">{t("topup-title")}</h1>
      {address ? (
        <section className="grid gap-4 rounded-lg border border-slate-200 bg-(--p-card) p-4 md:grid-cols-[auto_1fr]">
          <DepositQr address={address.address} label={t("topup-qr")} />
          <div className="min-w-0 space-y-3">
            <h2 className="font-semibold">{t("topup-address")}</h2>
            <p className="font-mono text-base break-all" data-testid="deposit-address">
              {address.address}
            </p>
            <CopyButton value={address.address} />
            <p className="text-sm text-slate-600">{t("topup-explainer", { network: env.TRON_NETWORK })}</p>
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm tabular-nums">
              <dt className="text-slate-500">{t("topup-network")}</dt>
              <dd>TRON ({env.TRON_NETWORK})</dd>
              <dt className="text-slate-500">{t("topup-minimum")}</dt>
              <dd>
                {t("topup-minimumValue", {
                  trx: formatTrx(settings.minDepositTrxSun),
                  usdt: formatUsdt(settings.minDepositUsdtBase),
                })}
              </dd>
              <dt className="text-slate-500">{t("topup-rate")}</dt>
              <dd>{t("topup-rateValue", { trx: formatTrx(settings.usdtRateSun) })}</dd>
              <dt className="text-slate-500">{t("topup-accepted")}</dt>
              <dd className="min-w-0 wrap-anywhere" data-testid="topup-accepted">
                {t("topup-acceptedValue", { usdt: tron().config.usdtContract })}
              </dd>
              <dt className="text-slate-500">{t("topup-notAccepted")}</dt>
              <dd data-testid="topup-not-accepted">{t("topup-notAcceptedValue")}</dd>
            </dl>
          </div>
        </section>
      ) : (
        <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-amber-900">
          {t("topup-unavailable")}
        </p>
      )}
      <DepositsLive initial={deposits.map((d) => depositRow(d, ctx))} balance={formatTrx(user.balanceSun)} />
    </div>
  );
}

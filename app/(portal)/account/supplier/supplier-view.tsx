import { SignOwnership } from "@/app/_components/sign-ownership";
import { SignPermission } from "@/app/_components/sign-permission";
import { DEFAULT_DAILY_CAPS } from "@/db/schema/pool";
import type { ErrorCode } from "@/lib/errors";
import { dateTime, int, percentOfBps, trx } from "@/lib/format";
import { formatAmount } from "@/lib/money";
import { errorKey } from "@/lib/format/errors";
import type { Translate } from "@/lib/i18n";
import type { Locale } from "@/lib/locale";
import type { PermissionSetup } from "@/lib/pool";
import type { SupplierDashboard } from "@/lib/suppliers";
import { txUrl } from "@/lib/tron/explorer";
import {
  registerSupplierWalletAction,
  requestSupplierPayoutAction,
  saveSupplierProfileAction,
  setSupplierWalletCapsAction,
} from "./actions";

const input = "min-h-11 w-full rounded border border-slate-300 px-3 py-2 font-mono text-sm";
const small = "min-h-11 rounded border border-slate-300 px-3 py-2 font-mono text-sm";
const button = "min-h-11 rounded bg-slate-900 px-4 py-2 text-sm font-medium text-white";
const card = "space-y-3 rounded-lg border border-slate-200 bg-(--p-card) p-4";

/**
 * A wallet's daily caps as form fields: `bandwidth` (bytes) and `trx` as stored, or empty with the
 * defaults as placeholders (registration).
 */
function CapsInputs({ t, bandwidth, trx: trxCap }: { t: Translate; bandwidth?: string; trx?: string }) {
  return (
    <>
      <label className="text-xs">
        <span className="block">{t("supplier-cap-bandwidth")}</span>
        <input
          className={`${small} w-28`}
          name="bandwidthCap"
          inputMode="numeric"
          placeholder={DEFAULT_DAILY_CAPS.dailyBandwidthCap.toString()}
          defaultValue={bandwidth}
        />
      </label>
      <label className="text-xs">
        <span className="block">{t("supplier-cap-trx")}</span>
        <input
          className={`${small} w-24`}
          name="trxCap"
          inputMode="decimal"
          placeholder={formatAmount(DEFAULT_DAILY_CAPS.dailyTrxCapSun, { decimals: 6, grouping: false })}
          defaultValue={trxCap}
        />
      </label>
    </>
  );
}

/** The supplier page's content (no data access: the page reads the dashboard). */
export function SupplierView({
  d,
  t,
  locale,
  tz,
  done,
  error,
  setup,
  message,
}: {
  d: SupplierDashboard;
  t: Translate;
  locale: Locale;
  tz: string;
  done?: "profile" | "wallet" | "payout" | "caps";
  error?: ErrorCode;
  setup: PermissionSetup | null;
  message: string | null;
}) {
  const p = d.profile;
  // what TronLink's refusals say, for both of the page's signing buttons ("{…}" filled in the browser)
  const walletLabels = {
    locked: t("supplier-tronlink-locked"),
    rejected: t("supplier-tronlink-rejected"),
    wrongAccount: t("supplier-tronlink-wrongAccount", { selected: "{selected}", address: "{address}" }),
    failed: t("supplier-tronlink-failed", { reason: "{reason}" }),
  };
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">{t("supplier-title")}</h1>
      <p className="text-sm text-slate-600">{t("supplier-intro")}</p>
      {done && (
        <p role="status" className="text-sm text-green-800" data-testid="supplier-done">
          {t(`supplier-done-${done}`)}
        </p>
      )}
      {error && (
        <p role="alert" className="text-sm text-red-700" data-testid="supplier-error">
          {t(errorKey("portal", error))}
        </p>
      )}
      <section className={card} data-testid="supplier-profile">
        <h2 className="text-lg font-semibold">{t("supplier-profile")}</h2>
        <form action={saveSupplierProfileAction} className="grid gap-3 sm:grid-cols-2">
          <label className="space-y-1 text-sm">
            <span>{t("supplier-minPrice")}</span>
            <input
              className={input}
              name="minPrice"
              inputMode="numeric"
              defaultValue={String(p?.minPriceSunPerEnergyDay ?? 0n)}
            />
            <span className="block text-xs text-slate-500">{t("supplier-minPriceHelp")}</span>
          </label>
          <label className="space-y-1 text-sm">
            <span>{t("supplier-energyCap")}</span>
            <input
              className={input}
              name="energyCap"
              inputMode="numeric"
              defaultValue={p?.energyCap ? String(p.energyCap) : ""}
            />
            <span className="block text-xs text-slate-500">{t("supplier-energyCapHelp")}</span>
          </label>
          <label className="space-y-1 text-sm sm:col-span-2">
            <span>{t("supplier-payoutAddress")}</span>
            <input
              className={input}
              name="payoutAddress"
              placeholder="T…"
              defaultValue={p?.payoutAddress ?? ""}
            />
          </label>
          <label className="flex min-h-11 items-center gap-2 text-sm">
            <input type="checkbox" name="available" defaultChecked={p?.available ?? false} />
            {t("supplier-available")}
          </label>
          <div>
            <button type="submit" className={button}>
              {t("supplier-save")}
            </button>
          </div>
        </form>
      </section>
      {p && (
        <>
          <section className={card} data-testid="supplier-wallets">
            <h2 className="text-lg font-semibold">{t("supplier-wallets")}</h2>
            {d.wallets.length === 0 ? (
              <p className="text-sm text-slate-600">{t("supplier-noWallets")}</p>
            ) : (
              <table className="w-full text-sm">
                <thead className="text-left text-slate-500">
                  <tr>
                    <th className="py-1 font-normal">{t("supplier-col-address")}</th>
                    <th className="py-1 font-normal">{t("supplier-col-grant")}</th>
                    <th className="py-1 text-right font-normal">{t("supplier-col-utilisation")}</th>
                    <th className="py-1 font-normal">{t("supplier-col-caps")}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.wallets.map((w) => (
                    <tr key={w.id}>
                      <td className="break-all py-1 font-mono">{w.address}</td>
                      <td className="py-1">
                        {w.permissionError
                          ? t("supplier-grant-revoked")
                          : w.status === "enabled"
                            ? t("supplier-grant-ok")
                            : t("supplier-grant-paused")}
                        {w.shortOf && (
                          <span className="block text-xs text-amber-800" data-testid="supplier-wallet-short">
                            {t(`supplier-short-${w.shortOf}`)}
                          </span>
                        )}
                      </td>
                      <td className="py-1 text-right tabular-nums">{percentOfBps(w.utilisationBps)}</td>
                      <td className="py-1">
                        <form
                          action={setSupplierWalletCapsAction}
                          className="flex flex-wrap items-end gap-1"
                          data-testid="supplier-caps-form"
                        >
                          <input type="hidden" name="walletId" value={w.id} />
                          <CapsInputs
                            t={t}
                            bandwidth={w.dailyBandwidthCap.toString()}
                            trx={formatAmount(w.dailyTrxCapSun, { decimals: 6, grouping: false })}
                          />
                          <button type="submit" className={button}>
                            {t("supplier-cap-save")}
                          </button>
                        </form>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <h3 className="font-semibold">{t("supplier-addWallet")}</h3>
            <p className="text-sm">{t("supplier-addWalletSteps", { operator: d.operator ?? "—" })}</p>
            <form method="get" className="flex flex-wrap gap-2">
              <input
                className={`${input} max-w-md`}
                name="address"
                placeholder="T…"
                defaultValue={setup?.owner ?? ""}
              />
              <button type="submit" className={button}>
                {t("supplier-showSetup")}
              </button>
            </form>
            {setup && (
              <div className="space-y-2 text-sm" data-testid="supplier-setup">
                {setup.granted ? (
                  <p>{t("supplier-granted")}</p>
                ) : (
                  <>
                    <p>{t("supplier-permissionAdd", { name: setup.permission.name, owner: setup.owner })}</p>
                    <ul className="list-disc pl-5">
                      <li>
                        {t("supplier-permissionOps", {
                          ops: setup.permission.operationNames
                            .map((n, i) => `${n} (${setup.permission.operationIds[i]})`)
                            .join(", "),
                        })}
                      </li>
                      <li>
                        {t("supplier-permissionKey", {
                          operator: setup.permission.keys[0]?.address ?? "—",
                          weight: String(setup.permission.keys[0]?.weight ?? 1),
                          threshold: String(setup.permission.threshold),
                        })}
                      </li>
                      <li>
                        {setup.kept.length
                          ? t("supplier-permissionKept", {
                              kept: setup.kept.map((k) => `${k.name} #${k.id}`).join(", "),
                            })
                          : t("supplier-permissionKeptNone")}
                      </li>
                    </ul>
                    <p>{t("supplier-setupFee", { fee: trx(setup.feeSun) })}</p>
                    <p>
                      {t("supplier-permissionTx", {
                        until: dateTime(new Date(setup.transaction.raw_data.expiration), locale, tz),
                      })}
                    </p>
                    <textarea
                      readOnly
                      rows={6}
                      className="w-full rounded border border-slate-300 p-2 font-mono text-xs"
                      data-testid="supplier-permission-tx"
                      value={JSON.stringify(setup.transaction, null, 2)}
                    />
                    <SignPermission
                      transaction={setup.transaction}
                      owner={setup.owner}
                      size="compact"
                      labels={{
                        sign: t("supplier-permissionSign"),
                        sent: t("supplier-permissionSent", { txid: "{txid}" }),
                        noWallet: t("supplier-permissionNoWallet"),
                        ...walletLabels,
                      }}
                    />
                  </>
                )}
                <p>{t("supplier-signMessage")}</p>
                <code
                  className="block break-all rounded bg-slate-100 p-2 text-xs"
                  data-testid="supplier-message"
                >
                  {message}
                </code>
                <form action={registerSupplierWalletAction} className="grid gap-2">
                  <input type="hidden" name="address" value={setup.owner} />
                  {message && (
                    <SignOwnership
                      address={setup.owner}
                      message={message}
                      inputClassName={input}
                      labels={{
                        sign: t("supplier-tronlink-sign"),
                        signed: t("supplier-tronlink-signed"),
                        field: t("supplier-tronlink-field"),
                        noWallet: t("supplier-tronlink-noWallet"),
                        ...walletLabels,
                      }}
                    />
                  )}
                  <p className="text-xs text-slate-600">{t("supplier-caps-help")}</p>
                  <div className="flex flex-wrap gap-2">
                    <CapsInputs t={t} />
                  </div>
                  <div>
                    <button type="submit" className={button}>
                      {t("supplier-register")}
                    </button>
                  </div>
                </form>
              </div>
            )}
          </section>
          <section className={card} data-testid="supplier-earnings">
            <h2 className="text-lg font-semibold">{t("supplier-earnings")}</h2>
            <p className="text-sm">{t("supplier-earnedTotal", { amount: trx(d.earnedSun) })}</p>
            <p className="text-sm" data-testid="supplier-fees-repaid">
              {t("supplier-feesRepaidTotal", { amount: trx(d.feesRepaidSun) })}
            </p>
            {d.earningsByDay.length === 0 ? (
              <p className="text-sm text-slate-600">{t("supplier-noEarnings")}</p>
            ) : (
              <table className="w-full text-sm">
                <thead>
                  <tr className="text-left text-slate-600">
                    <th className="py-1 font-normal">{t("supplier-col-day")}</th>
                    <th className="py-1 text-right font-normal">{t("supplier-col-deliveries")}</th>
                    <th className="py-1 text-right font-normal">{t("supplier-col-earned")}</th>
                    <th className="py-1 text-right font-normal">{t("supplier-col-feesRepaid")}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.earningsByDay.map((e) => (
                    <tr key={e.day}>
                      <td className="py-1 font-mono">{e.day}</td>
                      <td className="py-1 text-right tabular-nums">{int(e.parts)}</td>
                      <td className="py-1 text-right tabular-nums">{trx(e.earningSun)}</td>
                      <td className="py-1 text-right tabular-nums">{trx(e.feesRepaidSun)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section className={card} data-testid="supplier-payouts">
            <h2 className="text-lg font-semibold">{t("supplier-payouts")}</h2>
            <p className="text-sm" data-testid="supplier-withdrawable">
              {t("supplier-withdrawable", { amount: trx(d.withdrawableSun) })}
            </p>
            <form action={requestSupplierPayoutAction} className="flex flex-wrap items-end gap-2">
              <label className="space-y-1 text-sm">
                <span>{t("supplier-amount")}</span>
                <input className={input} name="amount" inputMode="decimal" />
              </label>
              <button type="submit" className={button}>
                {t("supplier-requestPayout")}
              </button>
            </form>
            {d.payouts.length > 0 && (
              <table className="w-full text-sm">
                <tbody>
                  {d.payouts.map((po) => {
                    const url = po.txid && po.status === "confirmed" ? txUrl(po.txid) : null;
                    return (
                      <tr key={po.id}>
                        <td className="py-1">{dateTime(po.createdAt, locale, tz)}</td>
                        <td className="py-1 text-right tabular-nums">{trx(po.amountSun)}</td>
                        <td className="py-1">{t(`supplier-payout-${po.status}`)}</td>
                        <td className="py-1 font-mono">
                          {url ? (
                            <a href={url} className="underline" rel="noreferrer" target="_blank">
                              {po.txid?.slice(0, 10)}…
                            </a>
                          ) : (
                            (po.txid?.slice(0, 10) ?? "")
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )}
          </section>
        </>
      )}
    </div>
  );
}
